// Every lab on the run's environment: the vitest globalSetup starts it on the runtime LABKIT_RUNTIME names
// (auto: containers when Docker answers, else local processes) and hands its URLs over with provide/inject.

import { inject } from 'vitest';
import { httpTcpLogReader } from '../../harness/src/sink/tcp-log-sink.js';
import { defineLabSuite } from './lab-suite.js';

const provided = inject('labEnvironment');

defineLabSuite(`labs on the ${provided.runtime} runtime (upstream: ${provided.upstream?.kind ?? 'external'})`, async () => ({
  ...provided,
  tcpLogSink: provided.tcpLogSinkUrl ? httpTcpLogReader(provided.tcpLogSinkUrl) : null,
  // The globalSetup owns the environment and stops it after the run.
  close: async () => {},
}), { runtime: provided.runtime });
