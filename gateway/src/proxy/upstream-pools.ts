// Where each service is really reached (resolveAddress), and one keep-alive undici Pool per destination.

import { Pool } from 'undici';
import { isIP } from 'node:net';
import type { Service } from '../declarative/entities.js';
import type { GatewaySettings } from '../settings.js';
import { connectorWithTimeout } from './connect-with-timeout.js';
import { resolveAddress } from '../net/resolve-address.js';

export interface UpstreamTarget {
  pool: Pool;
  /** What the access log shows as the upstream address (no credentials are ever part of it). */
  address: string;
}

/** Taken off a `Keep-Alive: timeout=` hint, so the gateway lets go of a connection before the upstream does. */
const KEEPALIVE_HINT_MARGIN_MS = 1_000;

type PoolSettings = Pick<GatewaySettings, 'upstreamOverrides' | 'hostsFile' | 'upstreamKeepaliveIdleTimeoutMs'>;

export class UpstreamPools {
  readonly #pools = new Map<string, Pool>();
  /** Per service object of the active configurations: the hot path does no string building. */
  #targets = new WeakMap<Service, UpstreamTarget>();
  readonly #settings: PoolSettings;

  constructor(settings: PoolSettings) {
    this.#settings = settings;
  }

  target(service: Service): UpstreamTarget {
    let target = this.#targets.get(service);
    if (target === undefined) {
      target = this.#createTarget(service);
      this.#targets.set(service, target);
    }
    return target;
  }

  #createTarget(service: Service): UpstreamTarget {
    const key = `${service.protocol}|${service.host}|${service.port}|${service.connect_timeout}|${service.tls_verify === true}`;
    let pool = this.#pools.get(key);
    const address = resolveAddress(this.#settings, service.host, service.port);
    if (pool === undefined) {
      const scheme = service.protocol === 'https' || service.protocol === 'grpcs' ? 'https' : 'http';
      const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
      pool = new Pool(`${scheme}://${host}:${address.port}`, {
        connect: connectorWithTimeout(
          {
            // Kong does not verify upstream certificates unless the service asks for it.
            rejectUnauthorized: service.tls_verify === true,
            servername: isIP(service.host) ? undefined : service.host,
          },
          service.connect_timeout,
        ),
        // Idle connections go before common upstream keep-alive timeouts end (gunicorn: 2 s), so a
        // request rarely meets a connection the upstream is closing; the retry covers the rest.
        keepAliveTimeout: this.#settings.upstreamKeepaliveIdleTimeoutMs,
        // An upstream's `Keep-Alive: timeout=` hint can only shorten it.
        keepAliveMaxTimeout: this.#settings.upstreamKeepaliveIdleTimeoutMs,
        keepAliveTimeoutThreshold: KEEPALIVE_HINT_MARGIN_MS,
        pipelining: 1,
      });
      this.#pools.set(key, pool);
    }
    return { pool, address: `${address.host}:${address.port}` };
  }

  /** Drops pools no service of the new configuration uses. */
  retain(services: readonly Service[]): void {
    const wanted = new Set(
      services.map((s) => `${s.protocol}|${s.host}|${s.port}|${s.connect_timeout}|${s.tls_verify === true}`),
    );
    for (const [key, pool] of this.#pools) {
      if (!wanted.has(key)) {
        this.#pools.delete(key);
        this.#targets = new WeakMap();
        void pool.close().catch(() => pool.destroy());
      }
    }
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => pool.destroy())));
  }
}
