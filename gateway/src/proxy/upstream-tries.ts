// One request's tries of its upstream: what each try got to (sent, on a reused connection), how
// many retries were spent, and the Node timer for write_timeout/read_timeout. undici's own
// header/body timers run on a coarse wheel (ticks of about 0.5 s), so they are switched off.

import { errors } from 'undici';
import { retryVerdict } from './upstream-retry.js';
import type { SocketAwareHandler } from './connection-reuse.js';

export interface TimedUpstreamRequest {
  /** Ends the current try with `err` (undici's abort). */
  abortTry(err: Error): void;
}

function timedOut(tries: UpstreamTries): void {
  tries.timerFired();
}

export class UpstreamTries implements SocketAwareHandler {
  /** Kong's balancer try count: the first try is 1. */
  count = 1;
  #countedRetries = 0;
  #uncountedRetries = 0;
  /** This try's request began to go out (nginx's request_sent), on a connection that carried an earlier request. */
  #requestSent = false;
  #connectionReused = false;
  #timer: NodeJS.Timeout | null = null;
  #timerMs = 0;
  /** The response head has arrived: a timeout now is a body timeout. */
  #answered = false;

  constructor(readonly request: TimedUpstreamRequest) {}

  /** A try is about to be dispatched. */
  begin(): void {
    this.#requestSent = false;
    this.#connectionReused = false;
  }

  /** undici gave the try a connection and is writing it (onConnect). */
  sending(writeTimeoutMs: number): void {
    this.#requestSent = true;
    this.arm(writeTimeoutMs);
  }

  onSocketAssigned(reused: boolean): void {
    this.#connectionReused = reused;
  }

  /** The response head arrived: from here read_timeout bounds each pause between reads. */
  answered(readTimeoutMs: number): void {
    this.#answered = true;
    this.arm(readTimeoutMs);
  }

  arm(ms: number): void {
    if (this.#timer !== null && this.#timerMs === ms) {
      this.#timer.refresh();
      return;
    }
    this.clear();
    this.#timerMs = ms;
    this.#timer = setTimeout(timedOut, ms, this);
  }

  /** Progress (a body chunk written or read): the pause starts again. */
  refresh(): void {
    this.#timer?.refresh();
  }

  clear(): void {
    if (this.#timer === null) return;
    clearTimeout(this.#timer);
    this.#timer = null;
  }

  timerFired(): void {
    this.#timer = null;
    this.request.abortTry(this.#answered ? new errors.BodyTimeoutError() : new errors.HeadersTimeoutError());
  }

  /** Whether the failed try is tried again, as Kong would; counts the retry when it is. */
  retryAfter(err: Error, method: string, replayableBody: boolean, retries: number): boolean {
    const verdict = retryVerdict({
      error: err,
      method,
      requestSent: this.#requestSent,
      reusedConnection: this.#connectionReused,
      replayableBody,
      retriesUsed: this.#countedRetries,
      retries,
      uncountedRetriesUsed: this.#uncountedRetries,
    });
    if (verdict === 'none') return false;
    if (verdict === 'counted') this.#countedRetries += 1;
    else this.#uncountedRetries += 1;
    this.count += 1;
    return true;
  }
}
