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
}

export function createAccessLog(enabled: boolean, stream: Writable = process.stdout): AccessLog {
  if (!enabled) return { write() {} };
  return {
    write(entry) {
      stream.write(`${JSON.stringify(entry)}\n`);
    },
  };
}
