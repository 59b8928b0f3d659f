// The result model: what a walk-through did and found, as plain data that reporters (terminal, JUnit, JSON) render.

import type { CheckSpec, EnvironmentStepSpec, SourcePosition } from '../spec/types.js';
import type { ErrorRecord } from '../errors/labkit-error.js';

export interface RequestRecord {
  method: string;
  /** The real URL (credentials in the URL are masked). */
  url: string;
  /** As the lab wrote them, plus what the runner adds (`accept`, `content-type`). */
  headers: Record<string, string>;
  /** The body as sent, for the curl line. */
  body?: { text: string; contentType: string };
}

export interface ResponseRecord {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** As the server sent them: in order, names as spelled, a repeated header repeated (what `curl -i` shows). */
  rawHeaders?: Array<[string, string]>;
  /** The start of the body, as text. */
  bodyExcerpt: string;
  bodyBytes: number;
  durationMs: number;
}

export interface ExpectationResult {
  ok: boolean;
  /** Set when the expectation did not apply here (ok is then true). */
  skipped?: string;
  /** `status`, `header Via`, `json message`, `text`. */
  subject: string;
  expected: string;
  actual: string;
  /** Where the expectation is written. */
  position: SourcePosition;
  line: number;
}

export interface Exchange {
  /** `request 3 of 6 (allowed)` in a burst; absent for a single request. */
  label?: string;
  request: RequestRecord;
  response: ResponseRecord | null;
  /** Why there is no response (connection refused, timeout …). */
  error?: string;
  expectations: ExpectationResult[];
}

export interface CheckResult {
  check: CheckSpec;
  name: string;
  passed: boolean;
  /** The (last) request and response; the burst's blocked one for a burst. */
  request: RequestRecord;
  response: ResponseRecord | null;
  /** Every expectation of every exchange. */
  expectations: ExpectationResult[];
  exchanges: Exchange[];
  /** How many times a retry_until check was sent. */
  attempts: number;
  durationMs: number;
  /** Time spent waiting on purpose: fresh rate-limit windows, retry intervals. */
  waitedMs: number;
  /** Things a person should know, such as why the runner waited. */
  notes: string[];
  error?: string;
}

/** A `redis: stop|start` step of the lab, as it went. */
export interface EnvironmentStepResult {
  step: EnvironmentStepSpec;
  name: string;
  passed: boolean;
  durationMs: number;
  /** What was done (and, after a start, how long the nodes took to reach Redis again). */
  notes: string[];
  /** Why it could not be done; the checks after it are then not run. */
  error?: string;
}

export interface LabInfo {
  id: string;
  number: number;
  slug: string;
  title: string;
  file: string;
}

export interface LabResult {
  lab: LabInfo;
  checks: CheckResult[];
  /** Its `redis: stop|start` steps, in order (absent when it has none). */
  steps?: EnvironmentStepResult[];
  passed: boolean;
  durationMs: number;
  waitedMs: number;
  /**
   * Why the lab could not run (on): a declaration the gateway rejects, with the file:line of the field; an
   * environment that cannot start; a `redis: stop|start` step that could not be done. A LabkitError as data
   * (code, location, problem, fix), rendered by the one renderer; the lab did not pass.
   */
  error?: ErrorRecord;
  /** Why the lab was not run on this machine (it needs a Redis there is none of); it did not pass either. */
  skipped?: string;
}

export interface RunSummary {
  labs: number;
  labsPassed: number;
  /** Not run here, with a reason; not counted as passed, and not as failed. */
  labsSkipped: number;
  checks: number;
  checksPassed: number;
  checksFailed: number;
  durationMs: number;
  waitedMs: number;
  passed: boolean;
}

export function summarise(results: LabResult[]): RunSummary {
  const checks = results.flatMap((result) => result.checks);
  const checksPassed = checks.filter((check) => check.passed).length;
  return {
    labs: results.length,
    labsPassed: results.filter((result) => result.passed).length,
    labsSkipped: results.filter((result) => result.skipped !== undefined).length,
    checks: checks.length,
    checksPassed,
    checksFailed: checks.length - checksPassed,
    durationMs: results.reduce((sum, result) => sum + result.durationMs, 0),
    waitedMs: results.reduce((sum, result) => sum + result.waitedMs, 0),
    passed: results.every((result) => result.passed || result.skipped !== undefined),
  };
}

export function failedExpectations(check: CheckResult): ExpectationResult[] {
  return check.expectations.filter((expectation) => !expectation.ok);
}
