export { colorEnabled, palette, type Palette } from '../terminal/color.js';
export { toCurl, labCurlCommands, shellWord, quote } from './curl.js';
export { formatSyncForPeople } from './sync.js';
export {
  formatLabHeader, formatCheckResult, formatLabFooter, formatLabResult, formatRunSummary, formatExpectation, formatFailedChecks, formatResponse, headersToShow, headerSpelling,
  type TerminalOptions,
} from './terminal.js';
export { toJUnitXml, junitDocument, writeJUnitFile, errorOutcome, type JUnitCase, type JUnitSuite } from './junit.js';
export { formatErrorBlock, type ErrorBlockOptions } from './error-block.js';
export type { ErrorRecord } from '../errors/labkit-error.js';
export { toJsonReport, formatJsonReport, JSON_REPORT_FORMAT, type JsonReport } from './json.js';
