// Gateway settings, read from the environment under Kong's own names where Kong has one.

import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/** Kong's version strings: EE has four parts and the `-enterprise-edition` suffix in tokens. */
export const DEFAULT_KONG_VERSION = '3.11.0.0';
export const DEFAULT_KONG_EDITION = 'enterprise';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port` → where an upstream named that way is really reached. */
export type UpstreamOverrides = Map<string, ListenAddress>;

export interface GatewaySettings {
  proxyListen: ListenAddress;
  adminListen: ListenAddress;
  declarativeConfig: string | null;
  /** Exact names (hosts-file entries) resolved to an address without DNS: name → ip. */
  hostsFile: Map<string, string>;
  /** `name:port` → `addr:port`, for an upstream that listens on another port than the declaration says. */
  upstreamOverrides: UpstreamOverrides;
  version: string;
  edition: 'enterprise' | 'community';
  /** `kong/<version>` as Server and Via show it. */
  serverToken: string;
  /** Write one JSON access-log line per request to stdout. */
  accessLog: boolean;
  /** Bytes proxy-cache's memory strategy may hold (Kong's mem_cache_size, the size of kong_db_cache). */
  memCacheSize: number;
  /** Max milliseconds a SIGTERM waits for in-flight requests before closing them. */
  drainTimeoutMs: number;
  /** nginx's client_header_timeout: the whole request head must arrive within it, else 408. */
  clientHeaderTimeoutMs: number;
  /** nginx's client_body_timeout: longest pause between two reads of a request body, else 408. */
  clientBodyTimeoutMs: number;
  /** How long an idle upstream keep-alive connection is kept (an upstream's `Keep-Alive: timeout=` may shorten it). */
  upstreamKeepaliveIdleTimeoutMs: number;
  /** Origins (besides loopback ones) whose pages may write to the Admin API; `*` allows all. */
  adminAllowedOrigins: string[];
  /**
   * CA certificates (PEM) that TLS connections to Redis verify against when `ssl_verify` is on
   * (Kong's lua_ssl_trusted_certificate). null: the system default (`system`, Kong's default).
   */
  trustedCertificates: string[] | null;
}

export class SettingsError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'SettingsError';
  }
}

export function parseListen(variable: string, value: string): ListenAddress {
  // Kong accepts flags after the address (`0.0.0.0:8000 reuseport backlog=16384`); the first word is the address.
  const first = value.trim().split(/[\s,]+/)[0] ?? '';
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(first);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new SettingsError(variable, value, 'host:port (for example 127.0.0.1:8001)');
  return { host: match[1] ?? match[2], port };
}

export function parseHostsFile(text: string): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address) continue;
    for (const name of names) if (!hosts.has(name.toLowerCase())) hosts.set(name.toLowerCase(), address);
  }
  return hosts;
}

/** `name:port=addr:port[,name:port=addr:port…]`. */
export function parseUpstreamOverrides(variable: string, value: string): UpstreamOverrides {
  const overrides: UpstreamOverrides = new Map();
  for (const entry of value.split(/[,\s]+/).filter(Boolean)) {
    const [from, to] = entry.split('=');
    if (!from || !to || !/^[^:]+:\d+$/.test(from)) {
      throw new SettingsError(variable, value, 'a comma-separated list of name:port=address:port');
    }
    overrides.set(from.toLowerCase(), parseListen(variable, to));
  }
  return overrides;
}

const NGINX_TIME_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** nginx's time syntax (`60s`, `500ms`, `1m30s`; a bare number is seconds), in milliseconds. */
export function parseNginxTime(variable: string, value: string): number {
  const text = value.trim();
  if (!/^(?:\d+(?:ms|s|m|h|d)?)+$/.test(text)) {
    throw new SettingsError(variable, value, 'an nginx time such as 60s, 500ms or 1m30s (a bare number is seconds)');
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)?/g)) total += Number(amount) * NGINX_TIME_UNITS_MS[unit ?? 's'];
  if (total <= 0 || total > 2 ** 31 - 1) throw new SettingsError(variable, value, 'a time above 0 and below 24 days');
  return total;
}

/** Kong's upstream_keepalive_idle_timeout is whole seconds; fractions are accepted here for short lab timeouts. */
function parseSeconds(variable: string, value: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || Number(value) <= 0) {
    throw new SettingsError(variable, value, 'a number of seconds above 0 (for example 1 or 1.5)');
  }
  return Math.round(Number(value) * 1000);
}

/** Below gunicorn's 2 s keep-alive (the labs' httpbin), so the gateway drops an idle connection before the upstream does. */
export const DEFAULT_UPSTREAM_KEEPALIVE_IDLE_TIMEOUT = '1';

/** `scheme://host[:port]` as browsers send it, for comparing with the setting. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.origin === 'null' || url.pathname !== '/' || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** `origin[,origin…]` or `*`; each origin is `scheme://host[:port]`. */
export function parseAllowedOrigins(variable: string, value: string): string[] {
  const origins: string[] = [];
  for (const entry of value.split(/[,\s]+/).filter(Boolean)) {
    if (entry === '*') {
      origins.push('*');
      continue;
    }
    const normalized = normalizeOrigin(entry);
    if (normalized === null) throw new SettingsError(variable, value, 'a comma-separated list of origins (http://host:port) or *');
    origins.push(normalized);
  }
  return origins;
}

/**
 * Kong's lua_ssl_trusted_certificate: comma-separated PEM file paths, and `system` for the CAs Node
 * trusts by default. Unset or `system` alone: null (no list of our own).
 */
export function parseTrustedCertificates(variable: string, value: string): string[] | null {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0 || (entries.length === 1 && entries[0] === 'system')) return null;
  const pems: string[] = [];
  for (const entry of entries) {
    if (entry === 'system') {
      pems.push(...rootCertificates);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(entry, 'utf8');
    } catch (err) {
      throw new SettingsError(variable, value, `readable PEM files or "system" (${entry}: ${(err as Error).message})`);
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new SettingsError(variable, value, `PEM certificate files or "system" (${entry} holds no certificate)`);
    pems.push(text);
  }
  return pems;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** nginx sizes as kong.conf writes them: `128m`, `512k`, `1g`, or plain bytes. */
export function parseSize(variable: string, value: string): number {
  const match = /^(\d+)([kmg]?)$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()] : NaN;
  if (!match || bytes <= 0) throw new SettingsError(variable, value, 'a size such as 128m, 512k or 1g');
  return bytes;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): GatewaySettings {
  const version = env.KONG_VERSION?.trim() || DEFAULT_KONG_VERSION;
  const editionValue = env.KONG_EDITION?.trim() || DEFAULT_KONG_EDITION;
  if (editionValue !== 'enterprise' && editionValue !== 'community') {
    throw new SettingsError('KONG_EDITION', editionValue, 'enterprise or community');
  }
  const hostsFilePath = env.KONG_DNS_HOSTSFILE?.trim();
  const drain = env.KONG_DRAIN_TIMEOUT_MS?.trim() || '10000';
  if (!/^\d+$/.test(drain)) throw new SettingsError('KONG_DRAIN_TIMEOUT_MS', drain, 'a whole number of milliseconds');
  return {
    proxyListen: parseListen('KONG_PROXY_LISTEN', env.KONG_PROXY_LISTEN || '0.0.0.0:8000'),
    adminListen: parseListen('KONG_ADMIN_LISTEN', env.KONG_ADMIN_LISTEN || '127.0.0.1:8001'),
    declarativeConfig: env.KONG_DECLARATIVE_CONFIG?.trim() || null,
    hostsFile: hostsFilePath ? parseHostsFile(readFileSync(hostsFilePath, 'utf8')) : new Map(),
    upstreamOverrides: parseUpstreamOverrides('KONG_UPSTREAM_OVERRIDES', env.KONG_UPSTREAM_OVERRIDES ?? ''),
    version,
    edition: editionValue,
    serverToken: `kong/${version}${editionValue === 'enterprise' ? '-enterprise-edition' : ''}`,
    accessLog: !/^(off|false|0|no)$/i.test(env.KONG_PROXY_ACCESS_LOG ?? 'on'),
    memCacheSize: parseSize('KONG_MEM_CACHE_SIZE', env.KONG_MEM_CACHE_SIZE || '128m'),
    drainTimeoutMs: Number(drain),
    clientHeaderTimeoutMs: parseNginxTime(
      'KONG_NGINX_HTTP_CLIENT_HEADER_TIMEOUT',
      env.KONG_NGINX_HTTP_CLIENT_HEADER_TIMEOUT?.trim() || '60s',
    ),
    clientBodyTimeoutMs: parseNginxTime('KONG_NGINX_HTTP_CLIENT_BODY_TIMEOUT', env.KONG_NGINX_HTTP_CLIENT_BODY_TIMEOUT?.trim() || '60s'),
    upstreamKeepaliveIdleTimeoutMs: parseSeconds(
      'KONG_UPSTREAM_KEEPALIVE_IDLE_TIMEOUT',
      env.KONG_UPSTREAM_KEEPALIVE_IDLE_TIMEOUT?.trim() || DEFAULT_UPSTREAM_KEEPALIVE_IDLE_TIMEOUT,
    ),
    adminAllowedOrigins: parseAllowedOrigins('KONG_ADMIN_ALLOWED_ORIGINS', env.KONG_ADMIN_ALLOWED_ORIGINS ?? ''),
    trustedCertificates: parseTrustedCertificates('KONG_LUA_SSL_TRUSTED_CERTIFICATE', env.KONG_LUA_SSL_TRUSTED_CERTIFICATE ?? ''),
  };
}
