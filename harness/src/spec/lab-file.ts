// lab.yaml → LabSpec: YAML with positions, the rules of labs/lab.schema.json, then the few rules a JSON Schema
// cannot say (documented in labs/README.md), then the typed, normalised form the runner uses.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { LabSpecError, type SpecIssue } from './errors.js';
import { SchemaValidator, isMapping } from './schema-validator.js';
import { readYamlSource, type DocumentPath, type YamlSource as YamlDocument } from '../errors/yaml-source.js';
import type {
  BurstSpec, CheckSpec, EnvironmentStepSpec, Expectation, ExpectationSet, HttpMethod, LabSpec, Matcher, RequestBody, RequestSpec, RetryUntilSpec,
} from './types.js';
import { LABS_DIR } from '../constants.js';

export const LAB_SCHEMA_PATH = join(LABS_DIR, 'lab.schema.json');
export const DEFAULT_DECLARATION = 'key-auth.yaml';
export const DEFAULT_RESERVE_SECONDS = 5;
export const DEFAULT_RETRY_INTERVAL_MS = 250;

let validator: SchemaValidator | null = null;

function labValidator(): SchemaValidator {
  validator ??= new SchemaValidator(JSON.parse(readFileSync(LAB_SCHEMA_PATH, 'utf8')) as { [keyword: string]: unknown });
  return validator;
}

/** Parses and validates one lab file; throws LabSpecError listing every problem with file:line:column. */
export function parseLabText(text: string, file: string): LabSpec {
  const document = readYamlSource(text, file, ({ problem, location }) => new LabSpecError(file, [{ position: location, path: '', message: problem }]));
  const issues: SpecIssue[] = labValidator()
    .validate(document.value)
    .map((issue) => ({
      position: issue.at === 'key' ? document.keyPositionOf(issue.path) : document.positionOf(issue.path),
      path: formatPath(issue.path),
      message: issue.message,
    }));
  if (issues.length === 0) issues.push(...semanticIssues(document));
  if (issues.length > 0) throw new LabSpecError(file, sortIssues(issues));
  return toLabSpec(document, file);
}

export function readLabFile(path: string, file: string = path): LabSpec {
  return parseLabText(readFileSync(path, 'utf8'), file);
}

export function formatPath(path: DocumentPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  return issues.sort((a, b) => a.position.line - b.position.line || (a.position.column ?? 0) - (b.position.column ?? 0));
}

/** A `checks:` item that changes the environment (`redis: stop|start`) rather than sending a request. */
function isEnvironmentStep(item: Record<string, unknown>): boolean {
  return 'redis' in item;
}

/**
 * Rules beyond the schema: where countdown_from may appear, that a range is a range, and that a lab that
 * stops its Redis says it needs one.
 */
function semanticIssues(document: YamlDocument): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const lab = document.value as { checks: Array<Record<string, unknown>>; redis?: boolean };
  const checks = lab.checks;
  checks.forEach((item, index) => {
    if (!isEnvironmentStep(item) || lab.redis === true) return;
    issues.push({
      position: document.keyPositionOf(['checks', index, 'redis']),
      path: formatPath(['checks', index, 'redis']),
      message: `redis: ${String(item.redis)} needs a Redis to ${String(item.redis)}: add \`redis: true\` at the top of the lab`,
    });
  });
  if (checks.every(isEnvironmentStep)) {
    issues.push({ position: document.keyPositionOf(['checks']), path: 'checks', message: 'a lab needs at least one check (a request), not only environment steps' });
  }
  checks.forEach((check, index) => {
    if (isEnvironmentStep(check)) return;
    const sets: Array<[DocumentPath, unknown, boolean]> = [];
    if (check.expect !== undefined) sets.push([['checks', index, 'expect'], check.expect, false]);
    if (isMapping(check.burst)) {
      sets.push([['checks', index, 'burst', 'expect_allowed'], check.burst.expect_allowed, true]);
      sets.push([['checks', index, 'burst', 'expect_blocked'], check.burst.expect_blocked, false]);
    }
    for (const [setPath, set, countdownAllowed] of sets) {
      if (setPath.includes('burst') && isMapping(set)) {
        for (const key of ['tcp_log', 'tcp_log_text'] as const) {
          if (set[key] === undefined) continue;
          issues.push({
            position: document.keyPositionOf([...setPath, key]),
            path: formatPath([...setPath, key]),
            message: `${key} is only read for a single request (expect), not in a burst`,
          });
        }
      }
      for (const [entryPath, matcher] of matcherEntries(setPath, set)) {
        if (!isMapping(matcher)) continue;
        if ('countdown_from' in matcher && !countdownAllowed) {
          issues.push({
            position: document.keyPositionOf([...entryPath, 'countdown_from']),
            path: formatPath(entryPath),
            message: 'countdown_from is only meaningful in burst.expect_allowed (the n-th allowed response shows from − n)',
          });
        }
        if (Array.isArray(matcher.between) && (matcher.between[0] as number) > (matcher.between[1] as number)) {
          issues.push({
            position: document.positionOf([...entryPath, 'between']),
            path: formatPath(entryPath),
            message: `between: the minimum ${matcher.between[0]} is above the maximum ${matcher.between[1]}; write [min, max]`,
          });
        }
      }
    }
  });
  return issues;
}

function matcherEntries(setPath: DocumentPath, set: unknown): Array<[DocumentPath, unknown]> {
  if (!isMapping(set)) return [];
  const entries: Array<[DocumentPath, unknown]> = [];
  for (const group of ['headers', 'json', 'tcp_log'] as const) {
    const values = set[group];
    if (isMapping(values)) for (const [name, matcher] of Object.entries(values)) entries.push([[...setPath, group, name], matcher]);
  }
  if (set.text !== undefined) entries.push([[...setPath, 'text'], set.text]);
  if (set.tcp_log_text !== undefined) entries.push([[...setPath, 'tcp_log_text'], set.tcp_log_text]);
  return entries;
}

function toLabSpec(document: YamlDocument, file: string): LabSpec {
  const raw = document.value as {
    title: string; explanation: string; declaration?: string; checks: Array<Record<string, unknown>>; nodes?: number; redis?: boolean;
  };
  return {
    title: raw.title.trim(),
    explanation: raw.explanation.trim(),
    declaration: raw.declaration ?? DEFAULT_DECLARATION,
    ...toChecksAndSteps(document, raw.checks),
    nodes: raw.nodes ?? 1,
    redis: raw.redis ?? false,
    file,
  };
}

function toChecksAndSteps(document: YamlDocument, items: Array<Record<string, unknown>>): Pick<LabSpec, 'checks' | 'steps'> {
  const checks: CheckSpec[] = [];
  const steps: EnvironmentStepSpec[] = [];
  items.forEach((item, index) => {
    if (!isEnvironmentStep(item)) {
      checks.push(toCheck(document, item, ['checks', index]));
      return;
    }
    const action = item.redis as EnvironmentStepSpec['action'];
    steps.push({
      kind: 'redis',
      action,
      name: typeof item.name === 'string' ? item.name : action === 'stop' ? 'Redis stopped' : 'Redis started',
      beforeCheck: checks.length,
      position: document.positionOf(['checks', index]),
    });
  });
  return { checks, steps };
}

function toCheck(document: YamlDocument, raw: Record<string, unknown>, path: DocumentPath): CheckSpec {
  const check: CheckSpec = {
    name: String(raw.name),
    position: document.positionOf(path),
    request: toRequest(document, raw.request as Record<string, unknown>, [...path, 'request']),
  };
  if (raw.expect !== undefined) check.expect = toExpectationSet(document, raw.expect as Record<string, unknown>, [...path, 'expect']);
  if (raw.burst !== undefined) check.burst = toBurst(document, raw.burst as Record<string, unknown>, [...path, 'burst']);
  if (raw.retry_until !== undefined) {
    const retry = raw.retry_until as { timeout_ms: number; interval_ms?: number };
    check.retryUntil = {
      timeoutMs: retry.timeout_ms,
      intervalMs: retry.interval_ms ?? DEFAULT_RETRY_INTERVAL_MS,
      position: document.keyPositionOf([...path, 'retry_until']),
    } satisfies RetryUntilSpec;
  }
  return check;
}

function toRequest(document: YamlDocument, raw: Record<string, unknown>, path: DocumentPath): RequestSpec {
  const body = raw.body === undefined ? undefined : toBody(raw.body as Record<string, unknown>);
  const query: Array<[string, string]> = [];
  for (const [name, value] of Object.entries((raw.query ?? {}) as Record<string, string | string[]>)) {
    for (const item of Array.isArray(value) ? value : [value]) query.push([name, item]);
  }
  return {
    method: (raw.method as HttpMethod | undefined) ?? (body ? 'POST' : 'GET'),
    path: raw.path as string,
    headers: Object.entries((raw.headers ?? {}) as Record<string, string>),
    query,
    ...(body ? { body } : {}),
    position: document.keyPositionOf(path),
  };
}

function toBody(raw: Record<string, unknown>): RequestBody {
  const contentType = raw.content_type as string | undefined;
  const extra = contentType ? { contentType } : {};
  if (raw.form !== undefined) return { kind: 'form', fields: Object.entries(raw.form as Record<string, string>), ...extra };
  if ('json' in raw) return { kind: 'json', value: raw.json, ...extra };
  return { kind: 'raw', text: raw.raw as string, ...extra };
}

function toBurst(document: YamlDocument, raw: Record<string, unknown>, path: DocumentPath): BurstSpec {
  return {
    allowed: raw.allowed as number,
    reserveSeconds: (raw.reserve_seconds as number | undefined) ?? DEFAULT_RESERVE_SECONDS,
    expectAllowed: toExpectationSet(document, raw.expect_allowed as Record<string, unknown>, [...path, 'expect_allowed']),
    expectBlocked: toExpectationSet(document, raw.expect_blocked as Record<string, unknown>, [...path, 'expect_blocked']),
    position: document.keyPositionOf(path),
  };
}

function toExpectationSet(document: YamlDocument, raw: Record<string, unknown>, path: DocumentPath): ExpectationSet {
  const expectations: Expectation[] = [];
  const entry = (subject: Expectation['subject'], entryPath: DocumentPath, value: unknown, name?: string): void => {
    const { matcher, whenUpstream } = toMatcher(value);
    expectations.push({
      subject,
      ...(name !== undefined ? { name } : {}),
      matcher,
      ...(whenUpstream ? { whenUpstream } : {}),
      position: document.keyPositionOf(entryPath),
    });
  };
  if (raw.status !== undefined) entry('status', [...path, 'status'], raw.status);
  for (const [name, value] of Object.entries((raw.headers ?? {}) as Record<string, unknown>)) entry('header', [...path, 'headers', name], value, name);
  for (const [name, value] of Object.entries((raw.json ?? {}) as Record<string, unknown>)) entry('json', [...path, 'json', name], value, name);
  if (raw.text !== undefined) entry('text', [...path, 'text'], raw.text);
  for (const [name, value] of Object.entries((raw.tcp_log ?? {}) as Record<string, unknown>)) entry('tcp-log', [...path, 'tcp_log', name], value, name);
  if (raw.tcp_log_text !== undefined) entry('tcp-log-text', [...path, 'tcp_log_text'], raw.tcp_log_text);
  return { expectations, position: document.keyPositionOf(path) };
}

function toMatcher(raw: unknown): { matcher: Matcher; whenUpstream?: string } {
  if (!isMapping(raw)) return { matcher: { kind: 'equals', value: raw } };
  const whenUpstream = raw.when_upstream as string | undefined;
  const extra = whenUpstream ? { whenUpstream } : {};
  if ('equals' in raw) return { matcher: { kind: 'equals', value: raw.equals }, ...extra };
  if ('matches' in raw) return { matcher: { kind: 'matches', pattern: raw.matches as string }, ...extra };
  if ('absent' in raw) return { matcher: { kind: 'absent' }, ...extra };
  if ('present' in raw) return { matcher: { kind: 'present' }, ...extra };
  if ('between' in raw) {
    const [min, max] = raw.between as [number, number];
    return { matcher: { kind: 'between', min, max }, ...extra };
  }
  if ('excludes' in raw) return { matcher: { kind: 'excludes', text: raw.excludes as string }, ...extra };
  if ('same_as_header' in raw) return { matcher: { kind: 'same-as-header', header: raw.same_as_header as string }, ...extra };
  return { matcher: { kind: 'countdown', from: raw.countdown_from as number }, ...extra };
}
