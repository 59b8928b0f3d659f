// The lab file format after parsing and validation: plain data (JSON-serialisable), each part with its source position.

export type { SourcePosition } from '../errors/source-position.js';
import type { SourcePosition } from '../errors/source-position.js';

export type Matcher =
  | { kind: 'equals'; value: unknown }
  | { kind: 'matches'; pattern: string }
  | { kind: 'absent' }
  | { kind: 'present' }
  | { kind: 'between'; min: number; max: number }
  | { kind: 'same-as-header'; header: string }
  /** Burst only: the n-th allowed response (0-based) must show `from - n`. */
  | { kind: 'countdown'; from: number }
  /** The value, as text, does not contain this string anywhere. */
  | { kind: 'excludes'; text: string };

/** `tcp-log` / `tcp-log-text`: the line tcp-log sent for the request, read from the environment's TCP sink. */
export type ExpectationSubject = 'status' | 'header' | 'json' | 'text' | 'tcp-log' | 'tcp-log-text';

export interface Expectation {
  subject: ExpectationSubject;
  /** Header name as written in the lab, or the dotted JSON path; absent for status and text. */
  name?: string;
  matcher: Matcher;
  /** Checked only when the environment's upstream has this kind (e.g. `debian-httpbin`). */
  whenUpstream?: string;
  position: SourcePosition;
}

export interface ExpectationSet {
  expectations: Expectation[];
  position: SourcePosition;
}

export type RequestBody =
  | { kind: 'form'; fields: Array<[string, string]>; contentType?: string }
  | { kind: 'json'; value: unknown; contentType?: string }
  | { kind: 'raw'; text: string; contentType?: string };

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RequestSpec {
  method: HttpMethod;
  /** Starts with `/`; appended to the proxy URL. */
  path: string;
  headers: Array<[string, string]>;
  /** In order; a name may repeat (`?apikey=a&apikey=b`). */
  query: Array<[string, string]>;
  body?: RequestBody;
  position: SourcePosition;
}

export interface BurstSpec {
  /** Requests that must be allowed before the next one is blocked. */
  allowed: number;
  /** Seconds of the rate-limit window the burst (and the checks right after it) need. */
  reserveSeconds: number;
  expectAllowed: ExpectationSet;
  expectBlocked: ExpectationSet;
  position: SourcePosition;
}

export interface RetryUntilSpec {
  timeoutMs: number;
  intervalMs: number;
  position: SourcePosition;
}

export interface CheckSpec {
  name: string;
  position: SourcePosition;
  request: RequestSpec;
  /** Exactly one of `expect` and `burst` is set. */
  expect?: ExpectationSet;
  burst?: BurstSpec;
  retryUntil?: RetryUntilSpec;
}

export type RedisAction = 'stop' | 'start';

/** A step between two checks that changes the environment: `redis: stop` / `redis: start`. */
export interface EnvironmentStepSpec {
  kind: 'redis';
  action: RedisAction;
  /** As written, or `Redis stopped` / `Redis started`. */
  name: string;
  /** It runs before the check of this index (the number of checks: after the last one). */
  beforeCheck: number;
  position: SourcePosition;
}

export interface LabSpec {
  title: string;
  explanation: string;
  /** File name of the declaration, next to lab.yaml. */
  declaration: string;
  checks: CheckSpec[];
  /** The `redis: stop|start` items of `checks:`, each placed before the check it precedes. */
  steps: EnvironmentStepSpec[];
  /** How many gateway nodes the lab needs behind the per-connection balancer (`nodes:`, default 1). */
  nodes: number;
  /** Whether the lab needs a Redis for `policy: redis` (`redis: true`). */
  redis: boolean;
  /** The lab file as shown in messages. */
  file: string;
}

/** A lab folder `NN-slug` of `labs/`. */
export interface Lab extends LabSpec {
  /** `03-consumer1`. */
  id: string;
  number: number;
  slug: string;
  /** Absolute path of the lab folder. */
  dir: string;
  /** Absolute path of the declaration to sync. */
  declarationPath: string;
}
