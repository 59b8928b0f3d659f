// Entry point of a detached embedded httpbin (the one `npm run up` starts when Debian's is missing):
//   node --import tsx embedded-httpbin-main.ts [--host 127.0.0.1] [--port 0]
// Prints one line once listening: {"event":"listening","url":"http://127.0.0.1:41234","port":41234}.
// SIGTERM or SIGINT closes it.

import { parseArgs } from 'node:util';
import { serveDetached } from '../process/serve-detached.js';
import { startEmbeddedHttpbin } from '../upstream/index.js';

const { values } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } },
});

await serveDetached(() => startEmbeddedHttpbin({ host: values.host, port: Number(values.port) }));
