// A set of expectations (status, headers, JSON fields, text) against one response.

import type { Expectation, ExpectationSet } from '../spec/types.js';
import { evaluateMatcher, type Observed } from './matchers.js';
import type { ExpectationResult, ResponseRecord } from './results.js';

/**
 * `missing`: no line arrived, said why. `sinkRunning` false means nothing could have been seen at all, so even
 * `tcp_log_text: { absent: true }` fails there: a check must never pass for want of a sink.
 */
export type TcpLogLine = { raw: string; json: unknown } | { missing: string; sinkRunning: boolean };

export interface EvaluationContext {
  /** The environment's upstream kind (`debian-httpbin`, `embedded-httpbin`), null when unknown. */
  upstreamKind: string | null;
  countdownIndex?: number;
  /** The tcp-log line the request produced, read from the environment's sink, or why there is none. */
  tcpLogLine?: TcpLogLine;
}

export function evaluateExpectations(
  set: ExpectationSet,
  response: ResponseRecord | null,
  bodyText: string,
  context: EvaluationContext,
): ExpectationResult[] {
  let parsed: { ok: true; value: unknown } | { ok: false } | undefined;
  const json = (): { ok: true; value: unknown } | { ok: false } => {
    if (parsed === undefined) {
      try {
        parsed = { ok: true, value: JSON.parse(bodyText) };
      } catch {
        parsed = { ok: false };
      }
    }
    return parsed;
  };
  return set.expectations.map((expectation) => evaluateOne(expectation, response, bodyText, json, context));
}

function evaluateOne(
  expectation: Expectation,
  response: ResponseRecord | null,
  bodyText: string,
  json: () => { ok: true; value: unknown } | { ok: false },
  context: EvaluationContext,
): ExpectationResult {
  const subject = describeSubject(expectation);
  const base = { subject, position: expectation.position, line: expectation.position.line };
  if (expectation.whenUpstream && expectation.whenUpstream !== context.upstreamKind) {
    return {
      ...base,
      ok: true,
      skipped: `only checked with the ${expectation.whenUpstream} upstream (this one: ${context.upstreamKind ?? 'unknown'})`,
      expected: '',
      actual: '',
    };
  }
  if (!response) return { ...base, ok: false, expected: describeExpected(expectation), actual: '(no response)' };

  const headers = response.headers;
  switch (expectation.subject) {
    case 'status': {
      const wanted = expectation.matcher.kind === 'equals' ? expectation.matcher.value : undefined;
      return { ...base, ok: response.status === wanted, expected: String(wanted), actual: `${response.status} ${response.statusText}`.trim() };
    }
    case 'header': {
      const name = (expectation.name ?? '').toLowerCase();
      const observed: Observed = name in headers ? { present: true, value: headers[name] } : { present: false, value: undefined };
      return { ...base, ...evaluateMatcher(expectation.matcher, observed, { headers, countdownIndex: context.countdownIndex, render: String }) };
    }
    case 'text': {
      return { ...base, ...evaluateMatcher(expectation.matcher, { present: true, value: bodyText }, { headers, countdownIndex: context.countdownIndex, render: excerpt }) };
    }
    case 'tcp-log':
    case 'tcp-log-text': {
      const line = context.tcpLogLine ?? { missing: 'no tcp-log line was read for this request', sinkRunning: false };
      if ('missing' in line) {
        // No line at all is what `tcp_log_text: { absent: true }` asks for, once a sink was there to receive one.
        const ok = line.sinkRunning && expectation.subject === 'tcp-log-text' && expectation.matcher.kind === 'absent';
        return { ...base, ok, expected: describeExpected(expectation), actual: `(${line.missing})` };
      }
      if (expectation.subject === 'tcp-log-text') {
        return { ...base, ...evaluateMatcher(expectation.matcher, { present: true, value: line.raw }, { headers, render: excerpt }) };
      }
      return { ...base, ...evaluateMatcher(expectation.matcher, lookupPath(line.json, expectation.name ?? ''), { headers, render: renderJson }) };
    }
    case 'json': {
      const body = json();
      if (!body.ok) {
        const shown = bodyText.length === 0 ? 'an empty body' : `a body that is not JSON: ${excerpt(bodyText)}`;
        return { ...base, ok: false, expected: describeExpected(expectation), actual: shown };
      }
      const observed = lookupPath(body.value, expectation.name ?? '');
      return { ...base, ...evaluateMatcher(expectation.matcher, observed, { headers, countdownIndex: context.countdownIndex, render: renderJson }) };
    }
  }
}

/** `headers.X-Consumer-Username`, `items.0.name`. */
export function lookupPath(value: unknown, path: string): Observed {
  let current: unknown = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment) && Number(segment) < current.length) {
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null && !Array.isArray(current) && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { present: false, value: undefined };
    }
  }
  return { present: true, value: current };
}

export function describeSubject(expectation: Expectation): string {
  switch (expectation.subject) {
    case 'status': return 'status';
    case 'header': return `header ${expectation.name}`;
    case 'json': return `body ${expectation.name}`;
    case 'text': return 'body text';
    case 'tcp-log': return `tcp-log ${expectation.name}`;
    case 'tcp-log-text': return 'tcp-log line';
  }
}

function describeExpected(expectation: Expectation): string {
  const matcher = expectation.matcher;
  const render = expectation.subject === 'json' || expectation.subject === 'tcp-log' ? renderJson : String;
  switch (matcher.kind) {
    case 'equals': return render(matcher.value);
    case 'matches': return `matches /${matcher.pattern}/`;
    case 'absent': return '(absent)';
    case 'present': return '(present)';
    case 'between': return `a number from ${matcher.min} to ${matcher.max}`;
    case 'same-as-header': return `same as ${matcher.header}`;
    case 'countdown': return `counting down from ${matcher.from}`;
    case 'excludes': return `does not contain ${JSON.stringify(matcher.text)}`;
  }
}

function renderJson(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function excerpt(text: unknown): string {
  const value = String(text);
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}
