// Values a captured output cannot reproduce (clocks, latencies, ids, versions, what the upstream happens to be)
// and how each is checked instead. This list is the README's "masks" table; keep them in step.

/** Where a response came from: the upstream (proxied by the gateway) or the gateway itself (401, 404, 429…). */
export type ResponseOrigin = 'proxied' | 'gateway';

export type MaskRule =
  /** Any valid HTTP date. */
  | { kind: 'http-date' }
  /** A whole number ≥ 0 (milliseconds, bytes). */
  | { kind: 'whole-number' }
  /** 32 lowercase hex digits, as Kong generates them. */
  | { kind: 'request-id' }
  /** Equal once every `kong/<version>` token is replaced: `1.1 kong/3.11.0.2-enterprise-edition` = `1.1 kong/3.9.0`. */
  | { kind: 'kong-version' }
  /** proxy-cache's key: 64 lowercase hex digits (a sha256 over entity ids, so it differs between installations). */
  | { kind: 'cache-key' }
  /** Seconds left in the rate-limit window: a whole number from 1 to the window's length. */
  | { kind: 'seconds-left-in-window' }
  /** Sent by the upstream, which differs between captures (gunicorn httpbin, embedded httpbin): not compared, may be missing or extra. */
  | { kind: 'upstream-only' };

export interface HeaderMask {
  header: string;
  origin: ResponseOrigin | 'any';
  rule: MaskRule;
  why: string;
}

export const HEADER_MASKS: readonly HeaderMask[] = [
  { header: 'Date', origin: 'any', rule: { kind: 'http-date' }, why: 'the time of the capture; its minute still tells when a fresh rate-limit window began' },
  { header: 'X-Kong-Response-Latency', origin: 'any', rule: { kind: 'whole-number' }, why: 'milliseconds, differs on every request' },
  { header: 'X-Kong-Upstream-Latency', origin: 'any', rule: { kind: 'whole-number' }, why: 'milliseconds, differs on every request' },
  { header: 'X-Kong-Proxy-Latency', origin: 'any', rule: { kind: 'whole-number' }, why: 'milliseconds, differs on every request' },
  { header: 'X-Kong-Admin-Latency', origin: 'any', rule: { kind: 'whole-number' }, why: 'milliseconds, differs on every request' },
  { header: 'X-Kong-Request-Id', origin: 'any', rule: { kind: 'request-id' }, why: 'a new id for every request' },
  { header: 'Content-Length', origin: 'proxied', rule: { kind: 'whole-number' }, why: "the upstream's body length depends on the httpbin build and on the addresses it echoes" },
  { header: 'Server', origin: 'proxied', rule: { kind: 'upstream-only' }, why: 'the upstream names itself (gunicorn, the embedded httpbin)' },
  { header: 'Server', origin: 'gateway', rule: { kind: 'kong-version' }, why: 'kong/<version> is checked, the version itself is not' },
  { header: 'Via', origin: 'any', rule: { kind: 'kong-version' }, why: '1.1 kong/<version> is checked, the version itself is not' },
  { header: 'RateLimit-Reset', origin: 'any', rule: { kind: 'seconds-left-in-window' }, why: 'seconds left in the window: depends on when the request was sent' },
  { header: 'Retry-After', origin: 'any', rule: { kind: 'seconds-left-in-window' }, why: 'seconds left in the window: depends on when the request was sent' },
  { header: 'X-Cache-Key', origin: 'any', rule: { kind: 'cache-key' }, why: 'a sha256 that includes route and consumer ids, which differ between installations' },
  { header: 'Age', origin: 'any', rule: { kind: 'whole-number' }, why: 'seconds since proxy-cache stored the response: depends on when the request was sent' },
  { header: 'X-Amzn-Trace-Id', origin: 'any', rule: { kind: 'upstream-only' }, why: 'added by the load balancer in front of the public httpbin' },
];

/** Fields of a JSON body that cannot be reproduced, by dotted path (`headers.*` names are httpbin's echo of request headers). */
export interface JsonFieldMask {
  path: string;
  rule: { kind: 'same-as-request-id' } | { kind: 'any-string' } | { kind: 'url-path' } | { kind: 'optional' } | { kind: 'uuid' } | { kind: 'timestamp' };
  why: string;
}

export const JSON_FIELD_MASKS: readonly JsonFieldMask[] = [
  { path: 'request_id', rule: { kind: 'same-as-request-id' }, why: "a new id for every request; it must equal the response's X-Kong-Request-Id" },
  { path: 'origin', rule: { kind: 'any-string' }, why: "httpbin echoes the client's address" },
  { path: 'url', rule: { kind: 'url-path' }, why: "httpbin's URL names the host it was reached on; its path and query are checked" },
  { path: 'headers.Host', rule: { kind: 'any-string' }, why: "the upstream's address" },
  { path: 'headers.User-Agent', rule: { kind: 'any-string' }, why: "the curl version of whoever captured the output" },
  { path: 'headers.X-Forwarded-For', rule: { kind: 'any-string' }, why: "the client's address" },
  { path: 'headers.X-Forwarded-Host', rule: { kind: 'any-string' }, why: 'the address the gateway was reached on' },
  { path: 'headers.X-Forwarded-Port', rule: { kind: 'any-string' }, why: "the gateway's port" },
  { path: 'headers.X-Real-Ip', rule: { kind: 'any-string' }, why: "the client's address" },
  { path: 'headers.X-Kong-Request-Id', rule: { kind: 'any-string' }, why: 'a new id for every request' },
  { path: 'headers.X-Consumer-Id', rule: { kind: 'any-string' }, why: 'entity ids differ between gateways (Konnect assigns random ones)' },
  { path: 'headers.X-Credential-Identifier', rule: { kind: 'any-string' }, why: 'the credential id, new at every load of a DB-less configuration' },
  { path: 'headers.Via', rule: { kind: 'any-string' }, why: 'names the gateway version' },
  { path: 'headers.X-Amzn-Trace-Id', rule: { kind: 'optional' }, why: 'added by the load balancer in front of the public httpbin' },
];

export function headerMask(name: string, origin: ResponseOrigin): HeaderMask | undefined {
  const wanted = name.toLowerCase();
  return HEADER_MASKS.find((mask) => mask.header.toLowerCase() === wanted && (mask.origin === 'any' || mask.origin === origin));
}

/** Fields masked wherever they appear (the last key of the path): the Admin API's ids and timestamps. */
export const JSON_KEY_MASKS: readonly JsonFieldMask[] = [
  { path: '*.id', rule: { kind: 'uuid' }, why: 'entity ids are new at every load of a DB-less configuration (and random in Konnect)' },
  { path: '*.created_at', rule: { kind: 'timestamp' }, why: 'when the entity was loaded' },
  { path: '*.updated_at', rule: { kind: 'timestamp' }, why: 'when the entity was loaded' },
];

export function jsonFieldMask(path: string): JsonFieldMask | undefined {
  const wanted = path.toLowerCase();
  const exact = JSON_FIELD_MASKS.find((mask) => mask.path.toLowerCase() === wanted);
  if (exact) return exact;
  const key = wanted.split('.').pop();
  return JSON_KEY_MASKS.find((mask) => mask.path === `*.${key}`);
}

const KONG_TOKEN = /kong\/[0-9][^\s,;()]*/gi;

/** Replaces each `kong/<version>` by `kong/<version>`, literally, so two captures of different versions compare equal. */
export function maskKongVersion(value: string): string {
  return value.replace(KONG_TOKEN, 'kong/<version>');
}
