// The tcp-log configuration's sink: the harness's TCP sink (sink/tcp-log-sink.ts) in a process of its
// own, so it can sit on the load core beside the upstream. It keeps only the last lines (a run sends
// hundreds of thousands) and counts them all. Prints one JSON line when listening and one with the
// count when stopped (SIGTERM).

import { startTcpLogSink } from '../../sink/tcp-log-sink.js';

const RETAINED_LINES = 1000;

const sink = await startTcpLogSink({ host: '127.0.0.1', retain: RETAINED_LINES });
process.stdout.write(`${JSON.stringify({ event: 'listening', host: sink.host, port: sink.port, read_url: sink.readUrl })}\n`);
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ event: 'closed', lines: sink.received(), connections: sink.connections() })}\n`);
  void sink.close().finally(() => process.exit(0));
});
