// Compares what a page documents for a request with what the gateway answered: the status line exactly,
// the headers both ways (documented ones must be there and equal, undocumented ones must not appear), the
// body (JSON by field, with volatile fields masked). Masked values are checked by shape instead (masks.ts).

import { canonicalHeaderName, type ActualResponse } from './http-exchange.js';
import { headerMask, jsonFieldMask, maskKongVersion, type ResponseOrigin } from './masks.js';
import { parseHttpDate, periodOfHeader, periodSeconds, longestPeriod, type RateLimitPeriod } from './rate-limit-windows.js';
import type { DocumentedResponse } from './types.js';
import { editDistance } from '../errors/similar.js';

/** One way the answer differs from the page, at the documented line it concerns. */
export interface Drift {
  file: string;
  line: number;
  /** Stable text (no volatile values unless they are the drift), used by the expected-failures file. */
  message: string;
}

export function responseOrigin(actual: ActualResponse): ResponseOrigin {
  const has = (name: string): boolean => actual.headers.some(([header]) => header.toLowerCase() === name);
  const via = actual.headers.find(([header]) => header.toLowerCase() === 'via')?.[1] ?? '';
  return has('x-kong-upstream-latency') || /kong\//i.test(via) ? 'proxied' : 'gateway';
}

/** `shows`: what the command prints (curl -i: headers and body; --head: headers; no flag: the body). */
export function compareResponse(documented: DocumentedResponse, actual: ActualResponse, shows: { headers: boolean; body: boolean }): Drift[] {
  const file = documented.at.file;
  const drifts: Drift[] = [];
  const origin = responseOrigin(actual);
  const statusLine = documented.statusLine;
  if (statusLine && statusLine.text !== actual.statusLine) {
    drifts.push({ file, line: statusLine.line, message: `status line: documented "${statusLine.text}", got "${actual.statusLine}"` });
  }
  if (shows.headers) drifts.push(...compareHeaders(documented, actual, origin));
  if (shows.body) drifts.push(...compareBody(documented, actual));
  return drifts;
}

function compareHeaders(documented: DocumentedResponse, actual: ActualResponse, origin: ResponseOrigin): Drift[] {
  const file = documented.at.file;
  const drifts: Drift[] = [];
  const windowSeconds = windowSecondsOf(documented);
  const actualValues = (name: string): string[] =>
    actual.headers.filter(([header]) => header.toLowerCase() === name.toLowerCase()).map(([, value]) => value);

  // A documented name that is missing, next to an answered name the page does not show: a typo, said once.
  const documentedNames = new Set(documented.headers.map((header) => header.name.toLowerCase()));
  const unshown = [...new Set(actual.headers.map(([name]) => name.toLowerCase()).filter((name) => !documentedNames.has(name)))];
  const meant = new Map<string, string>();
  for (const header of documented.headers) {
    const key = header.name.toLowerCase();
    if (actualValues(key).length > 0 || meant.has(key)) continue;
    const close = closestName(key, unshown);
    if (close) {
      meant.set(key, close);
      unshown.splice(unshown.indexOf(close), 1);
    }
  }
  const meantActual = new Set(meant.values());

  const seen = new Map<string, number>();
  for (const header of documented.headers) {
    const key = header.name.toLowerCase();
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const mask = headerMask(header.name, origin);
    if (mask?.rule.kind === 'upstream-only') continue;
    const value = actualValues(header.name)[occurrence];
    if (value === undefined) {
      const guess = meant.get(key);
      const hint = guess && occurrence === 0 ? `; did you mean ${canonicalHeaderName(guess)}?` : '';
      drifts.push({ file, line: header.line, message: `${header.name}: documented "${header.value}", but the response has no ${header.name} header${hint}` });
      continue;
    }
    const problem = headerValueProblem(header.name, header.value, value, origin, windowSeconds);
    if (problem) {
      const shown = problem === 'differs' ? '' : ` (${problem})`;
      drifts.push({ file, line: header.line, message: `${header.name}: documented "${header.value}", got "${value}"${shown}` });
    }
  }

  // Every header the answer has must be on the page: a capture shows what curl printed, all of it.
  const documentedCount = (name: string): number => documented.headers.filter((header) => header.name.toLowerCase() === name).length;
  const extra = new Map<string, number>();
  for (const [name, value] of actual.headers) {
    const key = name.toLowerCase();
    const index = extra.get(key) ?? 0;
    extra.set(key, index + 1);
    if (index < documentedCount(key) || meantActual.has(key)) continue;
    if (headerMask(name, origin)?.rule.kind === 'upstream-only') continue;
    const line = documented.statusLine?.line ?? documented.at.line;
    drifts.push({ file, line, message: `the response has a header the page does not show: ${canonicalHeaderName(name)}: ${value}` });
  }
  return drifts;
}

/** The rate-limit window the documented headers count in (minute when none names one). */
export function windowSecondsOf(documented: DocumentedResponse): number {
  return periodSeconds(longestPeriod(documented.headers.map((header) => periodOfHeader(header.name)).filter((p): p is RateLimitPeriod => p !== undefined)) ?? 'minute');
}

/** Undefined when the answered value matches the documented one (masked values by shape); 'differs', or why not. */
export function headerValueProblem(name: string, documented: string, actual: string, origin: ResponseOrigin, windowSeconds: number): string | undefined {
  const mask = headerMask(name, origin);
  if (mask?.rule.kind === 'upstream-only') return undefined;
  if (mask) return checkMasked(mask.rule.kind, documented, actual, windowSeconds);
  return documented === actual ? undefined : 'differs';
}

/** The one name within two edits of `name` (case aside), if exactly one is. */
function closestName(name: string, candidates: string[]): string | undefined {
  const close = candidates.filter((candidate) => editDistance(name, candidate) <= 2);
  return close.length === 1 ? close[0] : undefined;
}

/** Undefined when the value passes the mask; else why not. */
function checkMasked(rule: string, documented: string, actual: string, windowSeconds: number): string | undefined {
  switch (rule) {
    case 'http-date':
      return parseHttpDate(actual) === undefined ? 'not an HTTP date' : undefined;
    case 'whole-number':
      return /^\d+$/.test(actual) ? undefined : 'not a whole number';
    case 'request-id':
      return /^[0-9a-f]{32}$/.test(actual) ? undefined : 'not a request id of 32 hex digits';
    case 'cache-key':
      return /^[0-9a-f]{64}$/.test(actual) ? undefined : 'not a cache key of 64 hex digits';
    case 'kong-version':
      return maskKongVersion(documented) === maskKongVersion(actual) ? undefined : 'differs beyond the version';
    case 'seconds-left-in-window': {
      const seconds = /^\d+$/.test(actual) ? Number(actual) : NaN;
      return seconds >= 1 && seconds <= windowSeconds ? undefined : `not within 1..${windowSeconds} seconds`;
    }
    default:
      return undefined;
  }
}


function compareBody(documented: DocumentedResponse, actual: ActualResponse): Drift[] {
  const file = documented.at.file;
  const body = documented.body;
  const actualText = actual.body.trim();
  if (!body) {
    if (actualText === '') return [];
    return [{ file, line: documented.statusLine?.line ?? documented.at.line, message: `the response has a body the page does not show: ${excerpt(actualText)}` }];
  }
  let documentedJson: unknown;
  try {
    documentedJson = JSON.parse(body.text);
  } catch {
    return body.text.trim() === actualText ? [] : [{ file, line: body.line, message: `body: documented ${excerpt(body.text.trim())}, got ${excerpt(actualText)}` }];
  }
  let actualJson: unknown;
  try {
    actualJson = JSON.parse(actualText);
  } catch {
    return [{ file, line: body.line, message: `body: documented JSON, got ${actualText === '' ? 'no body' : excerpt(actualText)}` }];
  }
  const requestId = actual.headers.find(([name]) => name.toLowerCase() === 'x-kong-request-id')?.[1];
  const drifts: Drift[] = [];
  compareJson(documentedJson, actualJson, '', { requestId, report: (path, message) => drifts.push({ file, line: lineOfField(body, path), message }) });
  return drifts;
}

interface JsonContext {
  requestId?: string;
  report: (path: string, message: string) => void;
}

function compareJson(documented: unknown, actual: unknown, path: string, context: JsonContext): void {
  const mask = path ? jsonFieldMask(path) : undefined;
  const shown = path || 'body';
  if (mask) {
    switch (mask.rule.kind) {
      case 'same-as-request-id':
        if (typeof actual !== 'string' || (context.requestId !== undefined ? actual !== context.requestId : !/^[0-9a-f]{32}$/.test(actual))) {
          context.report(path, `${shown}: got ${JSON.stringify(actual)}, not the response's request id`);
        }
        return;
      case 'uuid':
        if (typeof actual !== 'string' || !UUID.test(actual)) context.report(path, `${shown}: got ${JSON.stringify(actual)}, not an id (a UUID)`);
        return;
      case 'timestamp':
        if (typeof actual !== 'number' || !Number.isInteger(actual) || actual < 0) context.report(path, `${shown}: got ${JSON.stringify(actual)}, not a timestamp (whole seconds)`);
        return;
      case 'any-string':
      case 'optional':
        if (typeof actual !== 'string') context.report(path, `${shown}: documented a string, got ${JSON.stringify(actual)}`);
        return;
      case 'url-path': {
        const pathOf = (value: unknown): string | undefined => {
          try {
            const url = new URL(String(value));
            return `${url.pathname}${url.search}`;
          } catch {
            return undefined;
          }
        };
        if (pathOf(documented) !== pathOf(actual)) context.report(path, `${shown}: documented ${JSON.stringify(documented)}, got ${JSON.stringify(actual)} (path and query differ)`);
        return;
      }
    }
  }
  if (isObject(documented) && isObject(actual)) {
    for (const key of Object.keys(documented)) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in actual)) {
        if (jsonFieldMask(child)?.rule.kind !== 'optional') context.report(child, `${child}: documented ${JSON.stringify(documented[key])}, but the body has no ${child}`);
        continue;
      }
      compareJson(documented[key], actual[key], child, context);
    }
    for (const key of Object.keys(actual)) {
      const child = path ? `${path}.${key}` : key;
      if (key in documented || jsonFieldMask(child)?.rule.kind === 'optional') continue;
      context.report(path, `the body has a field the page does not show: ${child} = ${excerpt(JSON.stringify(actual[key]))}`);
    }
    return;
  }
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length !== actual.length) {
      context.report(path, `${shown}: documented ${documented.length} items, got ${actual.length}`);
      return;
    }
    documented.forEach((item, index) => compareJson(item, actual[index], `${path}.${index}`.replace(/^\./, ''), context));
    return;
  }
  if (JSON.stringify(documented) !== JSON.stringify(actual)) {
    context.report(path, `${shown}: documented ${JSON.stringify(documented)}, got ${JSON.stringify(actual)}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The line of the documented body where the field's key appears (its last key), else the body's first line. */
function lineOfField(body: { text: string; line: number }, path: string): number {
  const key = path.split('.').pop();
  if (!key) return body.line;
  const index = body.text.split('\n').findIndex((line) => line.includes(`"${key}"`));
  return index >= 0 ? body.line + index : body.line;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}
