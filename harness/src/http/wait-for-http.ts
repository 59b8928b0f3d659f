// Waiting for a server to answer: one poll loop for every "is it up yet?" of the kit (the gateway's
// Admin API, httpbin, a container's published port, the bench's servers).

import { HttpRequestError, maskUrlCredentials } from './errors.js';
import { send, type HttpResponse, type SendOptions } from './send.js';
import { PROBE_TIMEOUT_MS, seconds } from './timeouts.js';
import { LabkitError } from '../errors/labkit-error.js';

export interface WaitForHttpOptions extends Pick<SendOptions, 'target' | 'headers' | 'dispatcher'> {
  /** How long to keep asking. */
  timeoutMs: number;
  /** Between attempts (default 100 ms). */
  intervalMs?: number;
  /** Each attempt's own bound (default PROBE_TIMEOUT_MS, never past the deadline). */
  attemptTimeoutMs?: number;
  /**
   * Whether this answer means "up" (default: status 200). Return a string to say why not: it is the
   * last problem the timeout error reports.
   */
  ready?: (response: HttpResponse) => true | string;
  /** Stop early: e.g. the process that should answer has exited. Returns the reason, or undefined to go on. */
  gaveUp?: () => string | undefined;
}

export class HttpWaitError extends LabkitError {
  readonly url: string;
  /** What the last attempt found: "connection refused", "HTTP 503". */
  readonly lastProblem: string;
  constructor(message: string, url: string, lastProblem: string) {
    super('REQUEST_FAILED', { problem: message });
    this.name = 'HttpWaitError';
    this.url = url;
    this.lastProblem = lastProblem;
  }
}

function statusIs200(response: HttpResponse): true | string {
  return response.status === 200 || `HTTP ${response.status}`;
}

/** Polls `url` until it answers as `ready` says; the answer that did. Throws HttpWaitError with the last problem. */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<HttpResponse> {
  const ready = options.ready ?? statusIs200;
  const interval = options.intervalMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  const target = options.target ?? 'the server';
  const shownUrl = maskUrlCredentials(url);
  let problem = 'not asked yet';
  for (;;) {
    const stopped = options.gaveUp?.();
    if (stopped) throw new HttpWaitError(`gave up waiting for ${target} at ${shownUrl}: ${stopped}`, shownUrl, problem);
    const attemptMs = options.attemptTimeoutMs ?? PROBE_TIMEOUT_MS;
    // The last attempt gets what is left of the deadline, and no more.
    const boundMs = Math.max(1, Math.min(attemptMs, deadline - Date.now()));
    try {
      const response = await send(url, { target, headers: options.headers, dispatcher: options.dispatcher, timeouts: { totalMs: boundMs } });
      const verdict = ready(response);
      if (verdict === true) return response;
      problem = verdict;
    } catch (error) {
      if (!(error instanceof HttpRequestError)) throw error;
      // An attempt cut short by the deadline says nothing new: the problem before it is the one to report.
      const cutShort = error.failure === 'timeout' && boundMs < attemptMs && problem !== 'not asked yet';
      if (!cutShort) problem = error.reason;
    }
    if (Date.now() + interval >= deadline) {
      throw new HttpWaitError(`${target} did not answer at ${shownUrl} within ${seconds(options.timeoutMs)} (last: ${problem})`, shownUrl, problem);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
