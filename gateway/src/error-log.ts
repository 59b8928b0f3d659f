// The gateway's error log (nginx's error.log): one JSON line per event on stderr, never a header
// value, key or request body.

export interface ErrorLogEntry {
  event: string;
  request_id?: string;
  [field: string]: unknown;
}

export function writeErrorLog(entry: ErrorLogEntry): void {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}
