// The handle every upstream launcher returns, and the one error they throw.

import { LabkitError } from '../errors/labkit-error.js';

export interface RunningUpstream {
  kind: 'debian-httpbin' | 'embedded-httpbin';
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:41234". */
  url: string;
  host: string;
  port: number;
  /** Stops the server and every process it started; safe to call twice. */
  close(): Promise<void>;
}

export type UpstreamChoice = 'auto' | 'debian-httpbin' | 'embedded-httpbin';

/** An upstream could not be started; the message says why and what to do. */
export class UpstreamStartError extends LabkitError {
  override name = 'UpstreamStartError';
  constructor(message: string) {
    super('UPSTREAM_START_FAILED', { problem: message });
  }
}
