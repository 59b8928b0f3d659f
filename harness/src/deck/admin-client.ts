// The Admin API as decK's sync uses it (harness/src/http/admin-api.ts does the talking): every failure
// becomes a SyncError that names the declaration, the URL and what to do, and GET /config is read into
// the gateway's state.

import { AdminApi, AdminApiError, HttpRequestError, type PostConfigResult } from '../http/index.js';
import { SyncError } from './errors.js';
import { parseExportedConfig, type GatewayState } from './gateway-state.js';

export type { PostConfigResult };

/** decK's timeout is 10 s per request; a large POST /config on a loaded laptop deserves more. */
const TIMEOUT_MS = 30_000;

export class AdminClient {
  readonly #api: AdminApi;
  readonly #source: string;

  /** `headers`: decK's `--headers key:value`, sent with every request. */
  constructor(adminUrl: string, source: string, headers: Record<string, string> = {}) {
    this.#api = new AdminApi(adminUrl, { headers, timeouts: { totalMs: TIMEOUT_MS } });
    this.#source = source;
  }

  get adminUrl(): string {
    return this.#api.url;
  }

  async #asked<T>(call: (api: AdminApi) => Promise<T>): Promise<T> {
    try {
      return await call(this.#api);
    } catch (error) {
      if (error instanceof HttpRequestError) {
        throw new SyncError(this.#source, `${error.message}. Is the gateway running, and is this its Admin API address?`);
      }
      if (error instanceof AdminApiError) throw new SyncError(this.#source, error.message);
      throw error;
    }
  }

  /** `GET /`: the node's version, as decK reads it. */
  version(): Promise<string> {
    return this.#asked((api) => api.version());
  }

  /** `GET /schemas/<path>` (e.g. `services`, `plugins/key-auth`), once per path; null when the gateway has none (404). */
  schema(path: string): Promise<unknown> {
    return this.#asked((api) => api.schema(path));
  }

  /** `POST /schemas/<collection>/validate`: null when valid, else Kong's message. */
  validateEntity(collection: string, entity: unknown): Promise<string | null> {
    return this.#asked((api) => api.validateEntity(collection, entity));
  }

  /** The running configuration, from `GET /config`. */
  async readState(): Promise<GatewayState> {
    const exported = await this.#asked((api) => api.readConfig());
    try {
      return parseExportedConfig(exported);
    } catch (err) {
      throw new SyncError(this.#source, `GET ${this.adminUrl}/config returned a config that cannot be read: ${(err as Error).message}`);
    }
  }

  /** `POST /config?flatten_errors=1`: 201 applies it; 400 is Kong's rejection body, handed back. */
  postConfig(declaration: unknown): Promise<PostConfigResult> {
    return this.#asked((api) => api.postConfig(declaration));
  }

  /** Clears every rate-limiting counter; a real Kong has no such endpoint. */
  clearCounters(): Promise<'cleared' | 'unsupported'> {
    return this.#asked((api) => api.clearCounters());
  }

  /** Kong's `DELETE /proxy-cache`; a gateway without the plugin has no such path, which is fine. */
  purgeProxyCache(): Promise<void> {
    return this.#asked((api) => api.purgeProxyCache());
  }

  /** `configuration_hash` of `GET /status` (empty when the gateway reports none, e.g. Kong with a database). */
  async configurationHash(): Promise<string> {
    return (await this.#asked((api) => api.status())).configurationHash;
  }
}
