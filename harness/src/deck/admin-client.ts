// The Admin API calls decK makes of a DB-less gateway: GET / (version), GET /config, POST /config,
// GET /status, the schema endpoints, and the lab kit's counter reset. Every failure becomes a
// SyncError that says which URL and what to do.

import { request } from 'undici';
import { SyncError } from './errors.js';
import { parseExportedConfig, type GatewayState } from './gateway-state.js';

const TIMEOUT_MS = 30_000;
const COUNTERS_PATH = '/_labkit/rate-limiting/counters';
const PROXY_CACHE_PATH = '/proxy-cache';

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
  readonly #headers: Record<string, string>;
  readonly #schemas = new Map<string, Promise<unknown>>();

  /** `headers`: decK's `--headers key:value`, sent with every request. */
  constructor(adminUrl: string, source: string, headers: Record<string, string> = {}) {
    this.#adminUrl = adminUrl.replace(/\/+$/, '');
    this.#source = source;
    this.#headers = headers;
  }

  get adminUrl(): string {
    return this.#adminUrl;
  }

  async #call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const url = `${this.#adminUrl}${path}`;
    try {
      const response = await request(url, {
        method,
        headers: body === undefined ? { ...this.#headers } : { ...this.#headers, 'content-type': 'application/json' },
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

  #json(method: string, path: string, answer: Answer): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      throw new SyncError(this.#source, `${method} ${this.#adminUrl}${path} did not answer JSON (HTTP ${answer.status})`);
    }
  }

  /** `GET /`: the node's version, as decK reads it. */
  async version(): Promise<string> {
    const answer = await this.#call('GET', '/');
    if (answer.status !== 200) throw this.#unexpected('GET', '/', answer);
    const version = (this.#json('GET', '/', answer) as { version?: unknown }).version;
    if (typeof version !== 'string') throw new SyncError(this.#source, `GET ${this.#adminUrl}/ did not name a version as Kong does`);
    return version;
  }

  /** `GET /schemas/<path>` (e.g. `services`, `plugins/key-auth`), once per path; null when the gateway has none (404). */
  schema(path: string): Promise<unknown> {
    let pending = this.#schemas.get(path);
    if (!pending) {
      pending = (async () => {
        const answer = await this.#call('GET', `/schemas/${path}`);
        if (answer.status === 404) return null;
        if (answer.status !== 200) throw this.#unexpected('GET', `/schemas/${path}`, answer);
        return this.#json('GET', `/schemas/${path}`, answer);
      })();
      this.#schemas.set(path, pending);
    }
    return pending;
  }

  /** `POST /schemas/<collection>/validate` (plugins: `/schemas/plugins/validate`): null when valid, else Kong's message. */
  async validateEntity(collection: string, entity: unknown): Promise<string | null> {
    const path = `/schemas/${collection}/validate`;
    const answer = await this.#call('POST', path, entity);
    if (answer.status === 200) return null;
    if (answer.status === 400) return `HTTP status 400 (message: ${JSON.stringify(messageOf(answer.text))})`;
    throw this.#unexpected('POST', path, answer);
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

  /** Kong's `DELETE /proxy-cache`: every proxy-cache entry gone. A gateway without the plugin has no such path (404), which is fine. */
  async purgeProxyCache(): Promise<void> {
    const answer = await this.#call('DELETE', PROXY_CACHE_PATH);
    if (answer.status === 204 || answer.status === 200 || answer.status === 404 || answer.status === 405) return;
    throw this.#unexpected('DELETE', PROXY_CACHE_PATH, answer);
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
