// Every lab on local processes with the embedded httpbin: what an attendee without Docker or Debian's httpbin
// gets from `npm run lab N`, proven on every run whatever else the machine has.

import { startLocalEnvironment } from '../../harness/src/index.js';
import { defineLabSuite } from './lab-suite.js';

defineLabSuite('labs on local processes with the embedded httpbin', () => startLocalEnvironment({ upstream: 'embedded-httpbin' }));
