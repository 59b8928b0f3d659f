// The gateway's connections to Redis: one ioredis client per distinct Redis configuration, created on
// first use (a declaration naming an unreachable Redis still loads, as in Kong) and closed with the
// gateway. Each client reconnects in the background, so a Redis that comes back is used again.
//
// `timeout` bounds every command, the wait for a connection included (Kong's set_timeout covers
// connect, send and read). Once a connection attempt has failed, commands fail at once until the
// client is ready again: a Redis that is down costs a request nothing but the error.

import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { Redis } from 'ioredis';
import { resolveAddress, type AddressSettings } from '../net/resolve-address.js';
import type { GatewaySettings } from '../settings.js';

/** Where Redis hosts are reached, and which CAs a verified TLS connection trusts (absent: the system's). */
export type RedisSettings = AddressSettings & Partial<Pick<GatewaySettings, 'trustedCertificates'>>;

/** The fields of Kong's `redis` record (kong/tools/redis/schema.lua) a connection depends on. */
export interface RedisEndpoint {
  host: string;
  port: number;
  /** Milliseconds, for connecting and for every command. */
  timeout: number;
  username: string | null;
  password: string | null;
  database: number;
  ssl: boolean;
  ssl_verify: boolean;
  server_name: string | null;
}

/** A Redis that cannot answer now (down, unreachable, refusing us, or too slow for `timeout`). */
export class RedisUnavailable extends Error {
  override name = 'RedisUnavailable';
}

/** A Lua script run with EVALSHA, sent whole only when Redis does not know it (first use, or after a restart). */
export class RedisScript {
  readonly sha1: string;
  constructor(readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }
}

/** At most one failure line per connection per second: a Redis that is down must not flood the log. */
const FAILURE_LOG_INTERVAL_MS = 1000;

/** Reconnect soon after a failure, but not in a tight loop while Redis stays down. */
const RETRY_DELAYS_MS = [50, 100, 200, 500];

function retryDelay(attempt: number): number {
  return RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1];
}

/** Distinct configuration → distinct connection. Secrets are part of the key but the key is never shown. */
function endpointKey(e: RedisEndpoint): string {
  return JSON.stringify([e.host.toLowerCase(), e.port, e.timeout, e.username, e.password, e.database, e.ssl, e.ssl_verify, e.server_name]);
}

/** `host:port/db` as messages show a Redis: never the username or password. */
export function describeEndpoint(e: Pick<RedisEndpoint, 'host' | 'port' | 'database'>): string {
  return `${e.host}:${e.port}/${e.database}`;
}

/** The first line of an error, short: ioredis messages never carry our credentials, but keep lines bounded. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 200);
}

export class RedisConnection {
  readonly label: string;
  readonly #client: Redis;
  readonly #timeout: number;
  /** True from a failed connection attempt until the client is ready again. */
  #down = false;
  /** Ready since the last close. */
  #connected = false;
  #lastLoggedAt = 0;
  #suppressed = 0;
  #lastError = 'not connected yet';

  constructor(endpoint: RedisEndpoint, settings: RedisSettings) {
    const address = resolveAddress(settings, endpoint.host, endpoint.port);
    this.label = describeEndpoint(endpoint);
    this.#timeout = endpoint.timeout;
    // The certificate names the configured host, not the address an override sends us to.
    const servername = endpoint.server_name ?? (isIP(endpoint.host) ? undefined : endpoint.host);
    this.#client = new Redis({
      host: address.host,
      port: address.port,
      username: endpoint.username ?? undefined,
      password: endpoint.password ?? undefined,
      db: endpoint.database,
      // CLIENT LIST shows which connections are a gateway's.
      connectionName: 'labkit-gateway',
      tls: endpoint.ssl
        ? { rejectUnauthorized: endpoint.ssl_verify, servername, ca: settings.trustedCertificates ?? undefined }
        : undefined,
      connectTimeout: endpoint.timeout,
      commandTimeout: endpoint.timeout,
      lazyConnect: true,
      enableReadyCheck: false,
      // A script that may have run must never run twice: unanswered commands fail, they are not resent.
      autoResendUnfulfilledCommands: false,
      // Commands waiting for a connection fail as soon as an attempt fails.
      maxRetriesPerRequest: 0,
      retryStrategy: retryDelay,
    });
    this.#client.on('error', (error: unknown) => {
      this.#lastError = errorText(error);
    });
    this.#client.on('close', () => {
      // A connection that drops without an error (Redis killed or restarted) is explained by this; a failed reconnect overwrites it.
      if (this.#connected) this.#lastError = 'the connection was closed';
      this.#connected = false;
      this.#down = true;
    });
    this.#client.on('ready', () => {
      this.#connected = true;
      this.#down = false;
    });
  }

  /** Runs `script` atomically (Redis runs one script at a time). Failures are RedisUnavailable. */
  async runScript(script: RedisScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    const client = this.#ready();
    try {
      try {
        return await client.evalsha(script.sha1, keys.length, ...keys, ...args);
      } catch (error) {
        if (!errorText(error).startsWith('NOSCRIPT')) throw error;
        return await client.eval(script.source, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw this.#failure(error);
    }
  }

  /** Deletes every key matching `pattern` (SCAN then DEL, never FLUSHALL); returns how many went. */
  async deleteMatching(pattern: string): Promise<number> {
    const client = this.#ready();
    let deleted = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await client.del(...keys);
      } while (cursor !== '0');
    } catch (error) {
      throw this.#failure(error);
    }
    return deleted;
  }

  /** Writes `line` to stderr unless a failure of this connection was logged within the last second. */
  logFailure(line: string): void {
    const now = Date.now();
    if (now - this.#lastLoggedAt < FAILURE_LOG_INTERVAL_MS) {
      this.#suppressed++;
      return;
    }
    const suppressed = this.#suppressed > 0 ? ` (${this.#suppressed} similar since the last line)` : '';
    this.#lastLoggedAt = now;
    this.#suppressed = 0;
    process.stderr.write(`${line}${suppressed}\n`);
  }

  /** The client, when a command sent now can be answered within `timeout`; otherwise RedisUnavailable. */
  #ready(): Redis {
    const status = this.#client.status;
    if (status === 'end') throw new RedisUnavailable(`connection to Redis ${this.label} is closed`);
    if (status !== 'ready' && this.#down) throw new RedisUnavailable(`Redis ${this.label} is not reachable: ${this.#lastError}`);
    return this.#client;
  }

  #failure(error: unknown): RedisUnavailable {
    if (error instanceof RedisUnavailable) return error;
    // Commands waiting for a connection are flushed with "max retries per request"; the reason is the connection's error.
    if (error instanceof Error && error.name === 'MaxRetriesPerRequestError') {
      return new RedisUnavailable(`Redis ${this.label} is not reachable: ${this.#lastError}`);
    }
    const text = errorText(error);
    if (text === 'Command timed out') return new RedisUnavailable(`Redis ${this.label} did not answer within ${this.#timeout} ms`);
    return new RedisUnavailable(`Redis ${this.label} failed: ${text}`);
  }

  /** Ends the connection once the replies already asked for have arrived (bounded by `timeout`). */
  async close(): Promise<void> {
    const client = this.#client;
    if (client.status === 'end') return;
    if (client.status !== 'ready') {
      client.disconnect();
      return;
    }
    await client.quit().catch(() => client.disconnect());
  }
}

export class RedisConnections {
  readonly #connections = new Map<string, RedisConnection>();
  /** endpointKey per endpoint object: a plugin configuration hands the same one on every request. */
  readonly #keys = new WeakMap<RedisEndpoint, string>();
  readonly #settings: RedisSettings;
  #closed = false;

  constructor(settings: RedisSettings) {
    this.#settings = settings;
  }

  /** The connection for `endpoint` (made on first use). Once the gateway has closed them, a closed one whose commands fail. */
  get(endpoint: RedisEndpoint): RedisConnection {
    let key = this.#keys.get(endpoint);
    if (key === undefined) this.#keys.set(endpoint, (key = endpointKey(endpoint)));
    let connection = this.#connections.get(key);
    if (connection === undefined) {
      connection = new RedisConnection(endpoint, this.#settings);
      // Never connected (lazy), so closing it now leaves nothing open.
      if (this.#closed) void connection.close();
      else this.#connections.set(key, connection);
    }
    return connection;
  }

  /** Closes the connections no endpoint of the new configuration uses. */
  retain(endpoints: readonly RedisEndpoint[]): void {
    const wanted = new Set(endpoints.map(endpointKey));
    for (const [key, connection] of this.#connections) {
      if (wanted.has(key)) continue;
      this.#connections.delete(key);
      void connection.close();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(connections.map((connection) => connection.close()));
  }
}
