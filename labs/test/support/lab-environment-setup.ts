// vitest globalSetup: one lab environment per test run, on the runtime LABKIT_RUNTIME names
// (auto by default: containers when Docker answers, else local), handed to the tests through
// provide/inject:
//
//   import { inject } from 'vitest';
//   const env = inject('labEnvironment');   // { runtime, proxyUrl, adminUrl, upstream, tcpLogSinkUrl }
//
// LABKIT_RUNTIME=external also needs LABKIT_PROXY_URL and LABKIT_ADMIN_URL.
// LABKIT_REQUIRE_DOCKER=1 turns auto into containers, so a missing Docker fails the run instead of
// quietly testing the local runtime.

import type { TestProject } from 'vitest/node';
import { openLabEnvironment, parseRuntimeRequest } from '../../../harness/src/env/runtime-choice.js';

export interface ProvidedLabEnvironment {
  runtime: 'local' | 'containers' | 'external';
  proxyUrl: string;
  adminUrl: string;
  upstream: { kind: string; url: string } | null;
  /** The environment's tcp-log sink, read over HTTP (httpTcpLogReader); null where none runs. */
  tcpLogSinkUrl: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    labEnvironment: ProvidedLabEnvironment;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let runtime = parseRuntimeRequest(process.env.LABKIT_RUNTIME);
  if (runtime === 'auto' && process.env.LABKIT_REQUIRE_DOCKER === '1') runtime = 'containers';
  const say = (message: string) => process.stderr.write(`[lab environment] ${message}\n`);
  const env = await openLabEnvironment({
    runtime,
    proxyUrl: process.env.LABKIT_PROXY_URL,
    adminUrl: process.env.LABKIT_ADMIN_URL,
    onProgress: say,
  });
  project.provide('labEnvironment', {
    runtime: env.runtime,
    proxyUrl: env.proxyUrl,
    adminUrl: env.adminUrl,
    upstream: env.upstream,
    tcpLogSinkUrl: env.tcpLogSink?.readUrl ?? null,
  });
  return async () => {
    await env.close();
  };
}
