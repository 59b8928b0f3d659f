// The one client of a Kong-compatible Admin API: what decK's sync, the runner, docs verification and
// the classroom commands ask of it (GET /, /status, /config, POST /config, the schema endpoints,
// DELETE /proxy-cache, the lab kit's rate-limit counters), on one node or on every node of an environment.
// No answer is an HttpRequestError ("could not reach the gateway's Admin API at …"); an answer that is not
// what Kong gives is an AdminApiError naming the request and what came back.

import { send, type HttpResponse } from './send.js';
import { ADMIN_READY_MS, PROBE_TIMEOUT_MS, type Timeouts } from './timeouts.js';
import { HttpRequestError } from './errors.js';
import { HttpWaitError, waitForHttp } from './wait-for-http.js';
import { LabkitError } from '../errors/labkit-error.js';

export const ADMIN_API_TARGET = "the gateway's Admin API";
/** Our gateway's counter endpoint (GET: how many, DELETE: clear them); a real Kong has none (404). */
export const COUNTERS_PATH = '/_labkit/rate-limiting/counters';
export const PROXY_CACHE_PATH = '/proxy-cache';

export type PostConfigResult = { ok: true } | { ok: false; status: number; body: unknown };
export type AdminHealth = { reachable: true; configurationHash: string } | { reachable: false; problem: string };
export type CounterCount = { state: 'known'; count: number } | { state: 'unsupported' };

export class AdminApiError extends LabkitError {
  readonly status: number;
  constructor(message: string, status: number) {
    super('ADMIN_API_FAILED', { problem: message });
    this.name = 'AdminApiError';
    this.status = status;
  }
}

/** Kong's `{"message": …}`, or the start of the text itself. */
export function answerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: quote the text itself.
  }
  return text.slice(0, 300);
}

type Method = 'GET' | 'POST' | 'DELETE';

export interface AdminApiOptions {
  /** decK's `--headers key:value`, sent with every request. */
  headers?: Record<string, string>;
  timeouts?: Timeouts;
}

export class AdminApi {
  readonly url: string;
  readonly #options: AdminApiOptions;
  readonly #schemas = new Map<string, Promise<unknown>>();

  constructor(adminUrl: string, options: AdminApiOptions = {}) {
    this.url = adminUrl.replace(/\/+$/, '');
    this.#options = options;
  }

  /** One request; any answer comes back, no answer throws HttpRequestError. */
  call(method: Method, path: string, body?: unknown, timeouts: Timeouts | undefined = this.#options.timeouts): Promise<HttpResponse> {
    const headers = { ...this.#options.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    return send(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      target: ADMIN_API_TARGET,
      timeouts,
    });
  }

  #unexpected(method: Method, path: string, answer: HttpResponse): AdminApiError {
    const message = answerMessage(answer.text());
    const hint = /not use a database/.test(message)
      ? ' This gateway runs with a database; the lab kit syncs through POST /config, which needs a DB-less gateway.'
      : '';
    return new AdminApiError(`${method} ${this.url}${path} answered HTTP ${answer.status}: ${message}.${hint}`, answer.status);
  }

  #json(method: Method, path: string, answer: HttpResponse): unknown {
    const parsed = answer.json();
    if (parsed === undefined) throw new AdminApiError(`${method} ${this.url}${path} did not answer JSON (HTTP ${answer.status})`, answer.status);
    return parsed;
  }

  /** `GET /`: the node's version, as decK reads it. */
  async version(): Promise<string> {
    const answer = await this.call('GET', '/');
    if (answer.status !== 200) throw this.#unexpected('GET', '/', answer);
    const version = (this.#json('GET', '/', answer) as { version?: unknown }).version;
    if (typeof version !== 'string') throw new AdminApiError(`GET ${this.url}/ did not name a version as Kong does`, answer.status);
    return version;
  }

  /** `GET /status`; its `configuration_hash` (empty when the gateway reports none, e.g. Kong with a database). */
  async status(timeouts?: Timeouts): Promise<{ configurationHash: string; body: unknown }> {
    const answer = await this.call('GET', '/status', undefined, timeouts ?? this.#options.timeouts);
    if (answer.status !== 200) throw this.#unexpected('GET', '/status', answer);
    const body = this.#json('GET', '/status', answer);
    const hash = (body as { configuration_hash?: unknown }).configuration_hash;
    return { configurationHash: typeof hash === 'string' ? hash : '', body };
  }

  /** Does it answer `GET /status` now (within PROBE_TIMEOUT_MS)? Never throws. */
  async health(): Promise<AdminHealth> {
    try {
      const { configurationHash } = await this.status({ totalMs: PROBE_TIMEOUT_MS, ...this.#options.timeouts });
      return { reachable: true, configurationHash };
    } catch (error) {
      if (error instanceof HttpRequestError) return { reachable: false, problem: error.reason };
      if (error instanceof AdminApiError) return { reachable: false, problem: error.message };
      throw error;
    }
  }

  /** `GET /schemas/<path>` (e.g. `services`, `plugins/key-auth`), once per path; null when the gateway has none (404). */
  schema(path: string): Promise<unknown> {
    let pending = this.#schemas.get(path);
    if (!pending) {
      pending = (async () => {
        const answer = await this.call('GET', `/schemas/${path}`);
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
    const answer = await this.call('POST', path, entity);
    if (answer.status === 200) return null;
    if (answer.status === 400) return `HTTP status 400 (message: ${JSON.stringify(answerMessage(answer.text()))})`;
    throw this.#unexpected('POST', path, answer);
  }

  /** The running configuration as `GET /config` exports it: the YAML text of `{"config": "<yaml>"}`. */
  async readConfig(): Promise<string> {
    const answer = await this.call('GET', '/config');
    if (answer.status !== 200) throw this.#unexpected('GET', '/config', answer);
    const exported = (answer.json() as { config?: unknown } | undefined)?.config;
    if (typeof exported !== 'string') throw new AdminApiError(`GET ${this.url}/config did not answer {"config": "<yaml>"} as Kong does`, answer.status);
    return exported;
  }

  /** `POST /config?flatten_errors=1`: 201 applies it; 400 is Kong's rejection body, handed back. */
  async postConfig(declaration: unknown): Promise<PostConfigResult> {
    const answer = await this.call('POST', '/config?flatten_errors=1', declaration);
    if (answer.status === 201 || answer.status === 200) return { ok: true };
    if (answer.status === 400) return { ok: false, status: answer.status, body: answer.json() ?? answer.text() };
    throw this.#unexpected('POST', '/config', answer);
  }

  /** How many rate-limiting counters are live; a real Kong cannot say (404/405). */
  async counters(): Promise<CounterCount> {
    const answer = await this.call('GET', COUNTERS_PATH);
    if (answer.status === 404 || answer.status === 405) return { state: 'unsupported' };
    const count = (answer.json() as { counters?: unknown } | undefined)?.counters;
    if (answer.status === 200 && typeof count === 'number') return { state: 'known', count };
    throw this.#unexpected('GET', COUNTERS_PATH, answer);
  }

  /** Clears every rate-limiting counter; a real Kong has no such endpoint (404/405). */
  async clearCounters(): Promise<'cleared' | 'unsupported'> {
    const answer = await this.call('DELETE', COUNTERS_PATH);
    if (answer.status === 204 || answer.status === 200) return 'cleared';
    if (answer.status === 404 || answer.status === 405) return 'unsupported';
    throw this.#unexpected('DELETE', COUNTERS_PATH, answer);
  }

  /** Kong's `DELETE /proxy-cache`: every proxy-cache entry gone. A gateway without the plugin has no such path (404), which is fine. */
  async purgeProxyCache(): Promise<void> {
    const answer = await this.call('DELETE', PROXY_CACHE_PATH);
    if ([200, 204, 404, 405].includes(answer.status)) return;
    throw this.#unexpected('DELETE', PROXY_CACHE_PATH, answer);
  }
}

/** Every node's Admin API of an environment, node 1 (`adminUrl`) first, each once. */
export function nodeAdminApis(environment: { adminUrl: string; nodes?: readonly { adminUrl: string }[] | null }, options: AdminApiOptions = {}): AdminApi[] {
  const urls = [environment.adminUrl, ...(environment.nodes ?? []).map((node) => node.adminUrl)].map((url) => url.replace(/\/+$/, ''));
  return [...new Set(urls)].map((url) => new AdminApi(url, options));
}

/**
 * Waits until `GET <admin>/status` answers 200 with JSON. Not ready: the sentence that says so
 * ("the gateway's Admin API did not answer at … within 10 s (last: connection refused)"), for the caller's own error.
 */
export async function waitForAdminApi(adminUrl: string, timeoutMs: number = ADMIN_READY_MS): Promise<{ ready: true } | { ready: false; problem: string }> {
  try {
    await waitForHttp(`${adminUrl.replace(/\/+$/, '')}/status`, {
      target: ADMIN_API_TARGET,
      timeoutMs,
      ready: (answer) => (answer.status !== 200 ? `HTTP ${answer.status}` : answer.json() === undefined ? 'the answer is not JSON' : true),
    });
    return { ready: true };
  } catch (error) {
    if (error instanceof HttpWaitError) return { ready: false, problem: error.message };
    throw error;
  }
}
