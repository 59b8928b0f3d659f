// Starting a fresh rate-limit window where the page's Date headers show one began: our gateway clears its
// counters on request; a real Kong cannot, so then we wait for the next window to begin.

import { nodeAdminApis } from '../http/index.js';
import { systemClock, type Clock } from '../runner/clock.js';
import { msUntilNextWindow, type RateLimitPeriod } from './rate-limit-windows.js';
import type { ParsedPage } from './types.js';

/** Added to a window wait: the gateway's clock and ours are not quite the same clock. */
export const WINDOW_SLACK_MS = 1_500;
/** Waits longer than this are not worth it (hour and longer windows): the step then runs in the current window. */
export const MAX_WINDOW_WAIT_MS = 65_000;

/** The gateway a page runs against: node 1's Admin API, and every node's when there are several. */
export interface WindowTarget {
  adminUrl: string;
  nodes?: readonly { adminUrl: string }[] | null;
}

/**
 * `DELETE /_labkit/rate-limiting/counters` on every node (each counts alone with the local policy):
 * 204 on our gateway, 404 on a real Kong.
 */
export async function clearRateLimitCounters(target: WindowTarget): Promise<'cleared' | 'unsupported'> {
  const answers = await Promise.all(nodeAdminApis(target).map((api) => api.clearCounters()));
  return answers.every((answer) => answer === 'cleared') ? 'cleared' : 'unsupported';
}

/**
 * Can counters left by an earlier page change what this page shows? Yes when it shows rate-limit headers or
 * configures a rate-limiting plugin (Kong's DB-less IDs are stable across syncs, so its counters carry over).
 */
export function countsRequests(page: ParsedPage): boolean {
  return page.showsRateLimits || page.steps.some((step) => step.kind === 'write-file' && /\b(rate-limiting|response-ratelimiting)\b/.test(step.text));
}

/**
 * Seconds of a window the requests up to the page's next fresh window need. A page's requests take well under a
 * second; a window that ends sooner than this would reset counters mid-story, so we wait for the next one.
 */
export const WINDOW_RESERVE_MS = 5_000;
const ROLLOVER_SLACK_MS = 300;

/** Waits for the next window when the current one ends within `reserveMs`; returns a note, or undefined. */
export async function ensureWindowRoom(
  period: RateLimitPeriod,
  clock: Clock = systemClock,
  reserveMs: number = WINDOW_RESERVE_MS,
): Promise<string | undefined> {
  const left = msUntilNextWindow(clock.now(), period);
  if (left >= reserveMs) return undefined;
  await clock.sleep(left + ROLLOVER_SLACK_MS);
  return `waited ${((left + ROLLOVER_SLACK_MS) / 1000).toFixed(1)} s for the ${period} to roll over, so no window ends mid-story`;
}

/** Returns a note for the report. */
export async function startFreshWindow(
  target: WindowTarget,
  period: RateLimitPeriod,
  options: { clock?: Clock; keepClearOfWindowEnd?: boolean } = {},
): Promise<string> {
  const clock = options.clock ?? systemClock;
  const waited = options.keepClearOfWindowEnd === false ? undefined : await ensureWindowRoom(period, clock);
  if ((await clearRateLimitCounters(target)) === 'cleared') return `${waited ? `${waited}; ` : ''}fresh rate-limit window (counters cleared)`;
  const wait = msUntilNextWindow(clock.now(), period) + WINDOW_SLACK_MS;
  if (wait > MAX_WINDOW_WAIT_MS) return `the page starts a fresh ${period} window here; the gateway cannot clear counters and waiting is too long: went on`;
  await clock.sleep(wait);
  return `fresh rate-limit window (waited ${(wait / 1000).toFixed(1)} s for the next ${period})`;
}
