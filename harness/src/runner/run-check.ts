// One check: a request (repeated while a retry_until allows) or a window-aware burst.

import type { Connections } from '../http/index.js';
import type { CheckSpec, ExpectationSet } from '../spec/types.js';
import type { Clock } from './clock.js';
import { evaluateExpectations, type TcpLogLine } from './expectations.js';
import { prepareRequest, sendRequest, type SentExchange } from './http.js';
import { createWindowWaiter, secondsLeftInWindow } from './rate-limit-window.js';
import type { CheckResult, Exchange } from './results.js';

export interface CheckContext {
  proxyUrl: string;
  upstreamKind: string | null;
  dispatcher?: Connections;
  clock: Clock;
  /** Whether every rate-limit counter is known to be fresh (cleared by the sync, or a new window). */
  window: { fresh: boolean };
  /** Honour retry_until (default true). */
  retries: boolean;
  maxWaitMs: number;
  requestTimeoutMs?: number;
  onProgress?: (message: string) => void;
  /** The environment's tcp-log sink, for `tcp_log` expectations (null: this environment has none). */
  tcpLog?: TcpLogReader | null;
}

export interface TcpLogReader {
  lineFor(requestId: string, timeoutMs?: number): Promise<{ raw: string; json: unknown }>;
}

/** How long a `tcp_log` expectation waits for the line to arrive after the response. */
const TCP_LOG_WAIT_MS = 3000;

function readsTcpLog(set: ExpectationSet): boolean {
  return set.expectations.some((e) => e.subject === 'tcp-log' || e.subject === 'tcp-log-text');
}

/** The line tcp-log sent for this exchange, found in the sink by its X-Kong-Request-Id; a string says why there is none. */
async function tcpLogLineOf(sent: SentExchange, context: CheckContext): Promise<TcpLogLine> {
  if (!context.tcpLog) return { missing: 'this environment runs no tcp-log sink', sinkRunning: false };
  const requestId = sent.response?.headers['x-kong-request-id'];
  if (!requestId) return { missing: 'the response has no X-Kong-Request-Id to find its log line by', sinkRunning: false };
  try {
    return await context.tcpLog.lineFor(requestId, TCP_LOG_WAIT_MS);
  } catch {
    return { missing: `no tcp-log line for request ${requestId} reached the sink within ${TCP_LOG_WAIT_MS / 1000} s`, sinkRunning: true };
  }
}

export async function runCheck(check: CheckSpec, context: CheckContext): Promise<CheckResult> {
  const started = performance.now();
  const outcome = check.burst ? await runBurst(check, context) : await runSingle(check, context);
  const expectations = outcome.exchanges.flatMap((exchange) => exchange.expectations);
  const last = outcome.exchanges[outcome.exchanges.length - 1];
  const error = outcome.exchanges.find((exchange) => exchange.error)?.error;
  return {
    check,
    name: check.name,
    passed: outcome.exchanges.every((exchange) => exchange.response !== null) && expectations.every((e) => e.ok),
    request: last.request,
    response: last.response,
    expectations,
    exchanges: outcome.exchanges,
    attempts: outcome.attempts,
    durationMs: Math.round(performance.now() - started),
    waitedMs: outcome.waitedMs,
    notes: outcome.notes,
    ...(error ? { error } : {}),
  };
}

interface Outcome {
  exchanges: Exchange[];
  attempts: number;
  waitedMs: number;
  notes: string[];
}

function send(check: CheckSpec, context: CheckContext): Promise<SentExchange> {
  return sendRequest(prepareRequest(context.proxyUrl, check.request), { dispatcher: context.dispatcher, timeoutMs: context.requestTimeoutMs });
}

function toExchange(
  sent: SentExchange,
  set: ExpectationSet | null,
  context: CheckContext,
  extra: { label?: string; countdownIndex?: number; tcpLogLine?: TcpLogLine } = {},
): Exchange {
  const expectations = set
    ? evaluateExpectations(set, sent.response, sent.bodyText, {
        upstreamKind: context.upstreamKind,
        countdownIndex: extra.countdownIndex,
        ...(extra.tcpLogLine !== undefined ? { tcpLogLine: extra.tcpLogLine } : {}),
      })
    : [];
  return {
    ...(extra.label ? { label: extra.label } : {}),
    request: sent.request,
    response: sent.response,
    ...(sent.error ? { error: sent.error } : {}),
    expectations,
  };
}

async function runSingle(check: CheckSpec, context: CheckContext): Promise<Outcome> {
  const set = check.expect as ExpectationSet;
  const retry = context.retries ? check.retryUntil : undefined;
  const notes: string[] = [];
  const firstAttemptAt = context.clock.now();
  let waitedMs = 0;
  for (let attempts = 1; ; attempts += 1) {
    const sent = await send(check, context);
    const exchange = toExchange(sent, set, context, readsTcpLog(set) ? { tcpLogLine: await tcpLogLineOf(sent, context) } : {});
    const passed = exchange.response !== null && exchange.expectations.every((e) => e.ok);
    const elapsed = context.clock.now() - firstAttemptAt;
    if (passed || !retry || elapsed + retry.intervalMs > retry.timeoutMs) {
      if (retry && attempts > 1) {
        notes.push(passed
          ? `passed on attempt ${attempts} (the configuration was still propagating)`
          : `still failing after ${attempts} attempts over ${(elapsed / 1000).toFixed(1)} s (retry_until ${retry.timeoutMs} ms)`);
      }
      return { exchanges: [exchange], attempts, waitedMs, notes };
    }
    await context.clock.sleep(retry.intervalMs);
    waitedMs += retry.intervalMs;
  }
}

/**
 * `allowed` requests, then one more that must be blocked, all in one rate-limit window:
 * - counters not known to be fresh (a real Kong cannot clear them): read the window from a probe and start in the next one;
 * - fewer seconds left than the burst reserves: wait for the next window and start again (once).
 */
async function runBurst(check: CheckSpec, context: CheckContext): Promise<Outcome> {
  const burst = check.burst!;
  const notes: string[] = [];
  const waiter = createWindowWaiter({ clock: context.clock, maxWaitMs: context.maxWaitMs, notes, onProgress: context.onProgress });
  const total = burst.allowed + 1;
  const exchanges: Exchange[] = [];

  if (!context.window.fresh) {
    const probe = await send(check, context);
    exchanges.push(toExchange(probe, null, context, { label: 'probe (reads RateLimit-Reset; not checked)' }));
    const left = secondsLeftInWindow(probe.response);
    if (left !== null) await waiter.waitForNextWindow(left, 'the rate-limit counters could not be cleared');
  }

  let run: Exchange[] = [];
  for (let start = 1; start <= 2; start += 1) {
    run = [];
    for (let index = 0; index < total; index += 1) {
      const sent = await send(check, context);
      const allowedOne = index < burst.allowed;
      run.push(toExchange(sent, allowedOne ? burst.expectAllowed : burst.expectBlocked, context, {
        label: `request ${index + 1} of ${total} (${allowedOne ? 'allowed' : 'blocked'})`,
        ...(allowedOne ? { countdownIndex: index } : {}),
      }));
      if (sent.response === null) break;
      if (index === 0 && start === 1) {
        const left = secondsLeftInWindow(sent.response);
        if (left !== null && left < burst.reserveSeconds &&
          await waiter.waitForNextWindow(left, `only ${left} s left in the rate-limit window, the burst reserves ${burst.reserveSeconds} s`)) {
          exchanges.push(...run.map((exchange) => ({ ...exchange, label: `${exchange.label} — before the window ended, not checked`, expectations: [] })));
          run = [];
          break;
        }
      }
    }
    if (run.length > 0) break;
  }
  exchanges.push(...run);
  // The burst used up a counter: a later burst in this lab must not assume fresh counters.
  context.window.fresh = false;
  return { exchanges, attempts: 1, waitedMs: waiter.waitedMs, notes };
}
