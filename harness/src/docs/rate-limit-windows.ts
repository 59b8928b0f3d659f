// Kong's fixed rate-limit windows (aligned to UTC second/minute/hour/day/month/year starts), as far as docs
// verification needs them: which window a documented Date falls in, and how long a window lasts.

export type RateLimitPeriod = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

const PERIODS: readonly RateLimitPeriod[] = ['second', 'minute', 'hour', 'day', 'month', 'year'];
/** Window lengths Kong uses for RateLimit-Reset (month and year as 30 and 365 days). */
const PERIOD_SECONDS: Record<RateLimitPeriod, number> = { second: 1, minute: 60, hour: 3600, day: 86400, month: 2592000, year: 31536000 };

/** The period named by an `X-RateLimit-Limit-<Period>` / `X-RateLimit-Remaining-<Period>` header, if it is one. */
export function periodOfHeader(name: string): RateLimitPeriod | undefined {
  const match = /^x-ratelimit-(?:limit|remaining)-(second|minute|hour|day|month|year)$/i.exec(name);
  return match ? (match[1].toLowerCase() as RateLimitPeriod) : undefined;
}

export function longestPeriod(periods: Iterable<RateLimitPeriod>): RateLimitPeriod | undefined {
  let longest: RateLimitPeriod | undefined;
  for (const period of periods) if (!longest || PERIODS.indexOf(period) > PERIODS.indexOf(longest)) longest = period;
  return longest;
}

export function periodSeconds(period: RateLimitPeriod): number {
  return PERIOD_SECONDS[period];
}

/** A number that is the same for two instants exactly when they fall in the same window of `period`. */
export function windowIndex(epochMs: number, period: RateLimitPeriod): number {
  const date = new Date(epochMs);
  switch (period) {
    case 'month':
      return date.getUTCFullYear() * 12 + date.getUTCMonth();
    case 'year':
      return date.getUTCFullYear();
    default:
      return Math.floor(epochMs / 1000 / PERIOD_SECONDS[period]);
  }
}

/** Milliseconds from `epochMs` to the start of the next window of `period`. */
export function msUntilNextWindow(epochMs: number, period: RateLimitPeriod): number {
  if (period === 'month' || period === 'year') {
    const date = new Date(epochMs);
    const next = period === 'month'
      ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
      : Date.UTC(date.getUTCFullYear() + 1, 0, 1);
    return next - epochMs;
  }
  const length = PERIOD_SECONDS[period] * 1000;
  return length - (epochMs % length);
}

/** Parses an HTTP date (`Mon, 11 Aug 2025 14:44:59 GMT`); undefined when it is not one. */
export function parseHttpDate(value: string): number | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value.trim())) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
