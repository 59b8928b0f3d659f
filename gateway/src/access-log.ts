// One JSON line per proxied request. Only what is safe to keep: no header values, no query
// string (either may carry an API key), no request body.

import type { Writable } from 'node:stream';

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
      pending += `${JSON.stringify(entry)}\n`;
      if (pending.length >= FLUSH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
