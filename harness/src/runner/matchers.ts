// One expected value against what the response showed.

import type { Matcher } from '../spec/types.js';
import { deepEqual } from '../spec/schema-validator.js';

export interface Observed {
  present: boolean;
  value: unknown;
}

export interface MatchContext {
  /** Response headers, lower-case names (for same_as_header). */
  headers: Record<string, string>;
  /** Position of the response among a burst's allowed ones (for countdown_from). */
  countdownIndex?: number;
  /** How values are shown: headers as they are, JSON values as JSON. */
  render: (value: unknown) => string;
}

export interface MatchOutcome {
  ok: boolean;
  expected: string;
  actual: string;
}

export const ABSENT = '(absent)';

export function evaluateMatcher(matcher: Matcher, observed: Observed, context: MatchContext): MatchOutcome {
  const actual = observed.present ? context.render(observed.value) : ABSENT;
  switch (matcher.kind) {
    case 'absent':
      return { ok: !observed.present, expected: ABSENT, actual };
    case 'present':
      return { ok: observed.present, expected: '(present)', actual };
    case 'equals':
      return { ok: observed.present && sameValue(matcher.value, observed.value), expected: context.render(matcher.value), actual };
    case 'matches':
      return {
        ok: observed.present && observed.value !== null && typeof observed.value !== 'object' && new RegExp(matcher.pattern, 'u').test(String(observed.value)),
        expected: `matches /${matcher.pattern}/`,
        actual,
      };
    case 'between': {
      const number = toNumber(observed.value);
      return {
        ok: observed.present && number !== null && number >= matcher.min && number <= matcher.max,
        expected: `a number from ${matcher.min} to ${matcher.max}`,
        actual,
      };
    }
    case 'excludes': {
      const text = observed.present ? (typeof observed.value === 'string' ? observed.value : JSON.stringify(observed.value)) : '';
      return { ok: observed.present && !text.includes(matcher.text), expected: `does not contain ${JSON.stringify(matcher.text)}`, actual };
    }
    case 'same-as-header': {
      const other = context.headers[matcher.header.toLowerCase()];
      return {
        ok: observed.present && other !== undefined && String(observed.value) === other,
        expected: `same as ${matcher.header} (${other ?? 'which is absent'})`,
        actual,
      };
    }
    case 'countdown': {
      const wanted = matcher.from - (context.countdownIndex ?? 0);
      return { ok: observed.present && toNumber(observed.value) === wanted, expected: String(wanted), actual };
    }
  }
}

/** Headers are text, so `Content-Length: 96` in YAML (a number) equals the header "96". */
function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof actual === 'string' && (typeof expected === 'number' || typeof expected === 'boolean')) return actual === String(expected);
  return deepEqual(expected, actual);
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}
