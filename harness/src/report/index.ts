export { colorEnabled, palette, type Palette } from '../terminal/color.js';
export { toCurl, shellWord, quote } from './curl.js';
export {
  formatLabHeader, formatCheckResult, formatLabFooter, formatLabResult, formatRunSummary, formatExpectation, formatFailedChecks, headersToShow,
  type TerminalOptions,
} from './terminal.js';
export { toJUnitXml } from './junit.js';
export { toJsonReport, formatJsonReport, JSON_REPORT_FORMAT, type JsonReport } from './json.js';
