// Fixed rate-limiting windows aligned to the UTC calendar, as Kong's timestamp.get_timestamps
// computes them. Window lengths are Kong's EXPIRATION table: month and year are a flat 30 and 365
// days there, and RateLimit-Reset and counter lifetimes use those lengths.

export const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

export const WINDOW_SECONDS: Readonly<Record<Period, number>> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  month: 2592000,
  year: 31536000,
};

/** Capitalised as in the X-RateLimit-*-<Window> header names. */
export const PERIOD_LABEL: Readonly<Record<Period, string>> = {
  second: 'Second',
  minute: 'Minute',
  hour: 'Hour',
  day: 'Day',
  month: 'Month',
  year: 'Year',
};

/** Start of the window containing `nowMs`, in ms (Kong's period_date). */
export function windowStart(period: Period, nowMs: number): number {
  switch (period) {
    case 'second':
      return Math.floor(nowMs / 1000) * 1000;
    case 'minute':
      return Math.floor(nowMs / 60_000) * 60_000;
    case 'hour':
      return Math.floor(nowMs / 3_600_000) * 3_600_000;
    case 'day':
      return Math.floor(nowMs / 86_400_000) * 86_400_000;
    case 'month': {
      const d = new Date(nowMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
    case 'year':
      return Date.UTC(new Date(nowMs).getUTCFullYear(), 0, 1);
  }
}

/** First instant after the calendar window that starts at `start`. */
export function windowEnd(period: Period, start: number): number {
  if (period === 'month') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  if (period === 'year') return Date.UTC(new Date(start).getUTCFullYear() + 1, 0, 1);
  return start + WINDOW_SECONDS[period] * 1000;
}

/** Seconds until the window resets as Kong announces it: max(1, length − whole seconds elapsed). */
export function secondsToReset(period: Period, nowMs: number, start: number): number {
  return Math.max(1, WINDOW_SECONDS[period] - Math.floor((nowMs - start) / 1000));
}
