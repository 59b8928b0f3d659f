// The one timeout policy of the kit's HTTP requests: how long to wait for a connection, and how long
// the whole exchange (connect, headers, body) may take. Callers override either; nothing else decides.

/** A loopback or LAN server that does not accept a connection within this is not there. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** The whole exchange. Long enough for httpbin's /delay pages and a large POST /config. */
export const TOTAL_TIMEOUT_MS = 30_000;
/** Probes and readiness polls: "is it up?" is answered fast or not at all. */
export const PROBE_TIMEOUT_MS = 3_000;
/** A gateway that prints "listening" answers its Admin API within this, or something is wrong. */
export const ADMIN_READY_MS = 10_000;

export interface Timeouts {
  connectMs?: number;
  totalMs?: number;
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
