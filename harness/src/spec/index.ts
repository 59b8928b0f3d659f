export type {
  BurstSpec, CheckSpec, Expectation, ExpectationSet, ExpectationSubject, HttpMethod, Lab, LabSpec, Matcher, RequestBody,
  RequestSpec, RetryUntilSpec, SourcePosition,
} from './types.js';
export { LabSpecError, UnknownLabError, formatIssue, type SpecIssue, type LabListing } from './errors.js';
export { readYamlSource, type YamlSource, type DocumentPath } from '../errors/yaml-source.js';
export { SchemaValidator, type SchemaIssue, type JsonSchema } from './schema-validator.js';
export {
  parseLabText, readLabFile, formatPath, LAB_SCHEMA_PATH, DEFAULT_DECLARATION, DEFAULT_RESERVE_SECONDS, DEFAULT_RETRY_INTERVAL_MS,
} from './lab-file.js';
export { loadLabs, findLab, displayPath, DEFAULT_LABS_DIR, LAB_FILE_NAME } from './discover.js';
