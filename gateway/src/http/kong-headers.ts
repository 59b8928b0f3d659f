// The one place that knows the names of the headers Kong adds, on responses and upstream.
// Spelled exactly as Kong writes them on the wire.

export const KongHeader = {
  Via: 'Via',
  Server: 'Server',
  RequestId: 'X-Kong-Request-Id',
  UpstreamLatency: 'X-Kong-Upstream-Latency',
  ProxyLatency: 'X-Kong-Proxy-Latency',
  ResponseLatency: 'X-Kong-Response-Latency',
  AdminLatency: 'X-Kong-Admin-Latency',
  UpstreamStatus: 'X-Kong-Upstream-Status',
} as const;

export const ForwardedHeader = {
  For: 'X-Forwarded-For',
  Proto: 'X-Forwarded-Proto',
  Host: 'X-Forwarded-Host',
  Port: 'X-Forwarded-Port',
  Path: 'X-Forwarded-Path',
  Prefix: 'X-Forwarded-Prefix',
  RealIp: 'X-Real-IP',
} as const;

/** Set upstream by auth plugins (key-auth, basic-auth). */
export const ConsumerHeader = {
  Id: 'X-Consumer-ID',
  CustomId: 'X-Consumer-Custom-ID',
  Username: 'X-Consumer-Username',
  CredentialIdentifier: 'X-Credential-Identifier',
  Anonymous: 'X-Anonymous-Consumer',
} as const;

/** Hop-by-hop headers: never forwarded in either direction (RFC 9110 §7.6.1, as nginx does). */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
