// The few Admin API calls a sync makes: GET /config, POST /config, GET /status and the lab kit's
// counter reset. Every failure becomes a SyncError that says which URL and what to do.

import { request } from 'undici';
import { SyncError } from './errors.js';
import { parseExportedConfig, type GatewayState } from './gateway-state.js';

const TIMEOUT_MS = 30_000;
const COUNTERS_PATH = '/_labkit/rate-limiting/counters';

export type PostConfigResult = { ok: true } | { ok: false; status: number; body: unknown };

interface Answer {
  status: number;
  text: string;
}

function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: quote the text itself.
  }
  return text.slice(0, 300);
}

export class AdminClient {
  readonly #adminUrl: string;
  readonly #source: string;

  constructor(adminUrl: string, source: string) {
    this.#adminUrl = adminUrl.replace(/\/+$/, '');
    this.#source = source;
  }

  async #call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const url = `${this.#adminUrl}${path}`;
    try {
      const response = await request(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      return { status: response.statusCode, text: await response.body.text() };
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new SyncError(
        this.#source,
        `cannot reach the gateway's Admin API: ${method} ${url} failed (${code ?? (err as Error).message}). ` +
          'Is the gateway running, and is this its Admin API address?',
      );
    }
  }

  #unexpected(method: string, path: string, answer: Answer): SyncError {
    const message = messageOf(answer.text);
    const hint = /not use a database/.test(message)
      ? ' This gateway runs with a database; the lab kit syncs through POST /config, which needs a DB-less gateway.'
      : '';
    return new SyncError(this.#source, `${method} ${this.#adminUrl}${path} answered HTTP ${answer.status}: ${message}.${hint}`);
  }

  /** The running configuration, from `GET /config`. */
  async readState(): Promise<GatewayState> {
    const answer = await this.#call('GET', '/config');
    if (answer.status !== 200) throw this.#unexpected('GET', '/config', answer);
    let exported: unknown;
    try {
      exported = (JSON.parse(answer.text) as { config?: unknown }).config;
    } catch {
      exported = undefined;
    }
    if (typeof exported !== 'string') {
      throw new SyncError(this.#source, `GET ${this.#adminUrl}/config did not answer {"config": "<yaml>"} as Kong does`);
    }
    try {
      return parseExportedConfig(exported);
    } catch (err) {
      throw new SyncError(this.#source, `GET ${this.#adminUrl}/config returned a config that cannot be read: ${(err as Error).message}`);
    }
  }

  /** `POST /config?flatten_errors=1`: 201 applies it; 400 is Kong's rejection body, handed back. */
  async postConfig(declaration: unknown): Promise<PostConfigResult> {
    const answer = await this.#call('POST', '/config?flatten_errors=1', declaration);
    if (answer.status === 201 || answer.status === 200) return { ok: true };
    if (answer.status === 400) {
      let body: unknown = answer.text;
      try {
        body = JSON.parse(answer.text);
      } catch {
        // Keep the text.
      }
      return { ok: false, status: answer.status, body };
    }
    throw this.#unexpected('POST', '/config', answer);
  }

  /** Clears every rate-limiting counter; a real Kong has no such endpoint (404/405). */
  async clearCounters(): Promise<'cleared' | 'unsupported'> {
    const answer = await this.#call('DELETE', COUNTERS_PATH);
    if (answer.status === 204 || answer.status === 200) return 'cleared';
    if (answer.status === 404 || answer.status === 405) return 'unsupported';
    throw this.#unexpected('DELETE', COUNTERS_PATH, answer);
  }

  /** `configuration_hash` of `GET /status` (empty when the gateway reports none, e.g. Kong with a database). */
  async configurationHash(): Promise<string> {
    const answer = await this.#call('GET', '/status');
    if (answer.status !== 200) throw this.#unexpected('GET', '/status', answer);
    try {
      const hash = (JSON.parse(answer.text) as { configuration_hash?: unknown }).configuration_hash;
      return typeof hash === 'string' ? hash : '';
    } catch {
      return '';
    }
  }
}
