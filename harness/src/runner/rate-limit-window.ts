// Fixed rate-limit windows (Kong's minute window starts at :00 UTC): how long the current one lasts, and waiting
// for the next one. RateLimit-Reset is `window − floor(elapsed)`, so waiting that many seconds (plus a little)
// always lands in the next window.

import type { Clock } from './clock.js';
import type { ResponseRecord } from './results.js';

/** Added to every window wait: the gateway's clock and ours are not the same clock. */
export const WINDOW_SLACK_MS = 300;
export const DEFAULT_MAX_WAIT_MS = 65_000;

/** Seconds left in the window the response reports (RateLimit-Reset, else Retry-After), or null if it reports none. */
export function secondsLeftInWindow(response: ResponseRecord | null): number | null {
  if (!response) return null;
  for (const name of ['ratelimit-reset', 'retry-after']) {
    const value = response.headers[name];
    if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value);
  }
  return null;
}

export interface WindowWaiter {
  /** Total milliseconds waited so far. */
  readonly waitedMs: number;
  /** Waits out the window that has `secondsLeft` left; false (and no wait) when that is longer than allowed. */
  waitForNextWindow(secondsLeft: number, reason: string): Promise<boolean>;
}

export function createWindowWaiter(options: {
  clock: Clock;
  maxWaitMs: number;
  notes: string[];
  onProgress?: (message: string) => void;
}): WindowWaiter {
  let waitedMs = 0;
  return {
    get waitedMs() {
      return waitedMs;
    },
    async waitForNextWindow(secondsLeft, reason) {
      const ms = secondsLeft * 1000 + WINDOW_SLACK_MS;
      if (ms > options.maxWaitMs) {
        options.notes.push(`${reason}, but the window still has ${secondsLeft} s, more than the ${Math.round(options.maxWaitMs / 1000)} s the runner may wait: went on in this window`);
        return false;
      }
      const message = `${reason}: waited ${(ms / 1000).toFixed(1)} s for a fresh rate-limit window`;
      options.onProgress?.(`${reason}: waiting ${(ms / 1000).toFixed(1)} s for a fresh rate-limit window…`);
      await options.clock.sleep(ms);
      waitedMs += ms;
      options.notes.push(message);
      return true;
    },
  };
}
