// Docs verification: runs workshop pages (Hugo markdown) step by step and compares each documented output.
export type {
  CurlRequest, DeckAction, DeckCommand, DeckStep, DocumentedHeader, DocumentedRequest, DocumentedResponse, DocumentedText, ExportStep, InvalidStep, PageLocation, PageStep,
  ParsedPage, RequestStep, ShellWord, SkipStep, WriteFileStep,
} from './types.js';
export { PageFormatError, ExpectedFailuresFileError } from './errors.js';
export { parsePage, readPage, REPEAT_CUES, type ParseOptions } from './page-story.js';
export { planChapters, folderChapters, MissingPathError, type Chapter } from './chapters.js';
export { applyRewrites, type BlockRewrite } from './update-blocks.js';
export { runPageDeck, type DeckRun } from './builtin-deck.js';
export { compareResponse, responseOrigin, type Drift } from './compare-response.js';
export { HEADER_MASKS, JSON_FIELD_MASKS, JSON_KEY_MASKS, type HeaderMask, type JsonFieldMask, type MaskRule, type ResponseOrigin } from './masks.js';
export { sendCurlRequest, resolveUrl, type ActualResponse, type Addresses } from './http-exchange.js';
export { verifyPage, MAX_REPEATS, MAX_REPEAT_MS, type PageResult, type StepResult, type VerifyPageOptions } from './run-page.js';
export { loadExpectedFailures, type ExpectedFailure } from './expected-failures.js';
export { judgePage, summariseVerdicts, type PageVerdict, type PageStatus, type StepVerdict, type StepStatus, type DriftVerdict, type StepErrorVerdict, type VerdictSummary } from './verdicts.js';
export { formatPageVerdict, formatSummary, type ReportStyle } from './format-report.js';
export { junitXml } from './junit.js';
export { toDocsJsonReport, formatDocsJsonReport, DOCS_JSON_FORMAT, type DocsJsonReport, type JsonPage, type JsonStep } from './json.js';
export {
  verifyDocs, findPages, CONTENT_DIR, REPO_ROOT, DEFAULT_EXPECTED_FAILURES_FILE, type VerifyDocsOptions,
} from './verify-docs.js';
export {
  chooseShell, ShellUnavailableError, SHELL_CHOICES, DEFAULT_COMMAND_TIMEOUT_MS, type ShellChoice, type ShellRequest,
} from './bash-shell.js';
export { readCurlOutput } from './curl-output.js';
