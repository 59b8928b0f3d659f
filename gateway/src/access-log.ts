// One JSON line per proxied request. Only what is safe to keep: no header values, no query
// string (either may carry an API key), no request body.

import type { Writable } from 'node:stream';
import { jsonString } from './json-string.js';

export interface AccessLogEntry {
  event: 'access';
  time: string;
  request_id: string;
  client_ip: string;
  method: string;
  /** Path only: the query string can hold a key (key_in_query). */
  path: string;
  status: number;
  /** Where the response came from, as Kong's log serializer says it. */
  source: 'upstream' | 'kong';
  route: string | null;
  service: string | null;
  consumer: string | null;
  upstream_status: number | null;
  upstream_address: string | null;
  latencies: { kong: number; proxy: number | null; request: number };
  bytes_sent: number;
}

export interface AccessLog {
  write(entry: AccessLogEntry): void;
  /** Writes what is buffered now (before exit). */
  flush(): void;
}

function jsonNullableString(value: string | null): string {
  return value === null ? 'null' : jsonString(value);
}

/**
 * The entry as JSON.stringify writes it (same keys, order and escapes), built by hand: JSON.stringify
 * of a nested object was the largest single cost the log added per proxied request.
 */
export function accessLogLine(entry: AccessLogEntry): string {
  const { latencies } = entry;
  return (
    `{"event":"access","time":${jsonString(entry.time)},"request_id":${jsonString(entry.request_id)}` +
    `,"client_ip":${jsonString(entry.client_ip)},"method":${jsonString(entry.method)},"path":${jsonString(entry.path)}` +
    `,"status":${entry.status},"source":${jsonString(entry.source)},"route":${jsonNullableString(entry.route)}` +
    `,"service":${jsonNullableString(entry.service)},"consumer":${jsonNullableString(entry.consumer)}` +
    `,"upstream_status":${entry.upstream_status},"upstream_address":${jsonNullableString(entry.upstream_address)}` +
    `,"latencies":{"kong":${latencies.kong},"proxy":${latencies.proxy},"request":${latencies.request}},"bytes_sent":${entry.bytes_sent}}`
  );
}

/** Lines are gathered and written once per event-loop turn (or every 64 KiB): one write per batch, not per request. */
const FLUSH_BYTES = 64 * 1024;

export function createAccessLog(enabled: boolean, stream: Writable = process.stdout): AccessLog {
  if (!enabled) return { write() {}, flush() {} };
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    stream.write(lines);
  };
  return {
    write(entry) {
      pending += `${accessLogLine(entry)}\n`;
      if (pending.length >= FLUSH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
