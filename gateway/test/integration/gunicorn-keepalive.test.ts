// The issue's acceptance run: gunicorn (the labs' httpbin) closes idle keep-alive connections after
// 2 s, so an attendee pausing ~2 s between curls met a stale pooled connection and got 502. Fifty
// requests, each after a 2.1 s pause, must all be answered by httpbin. It takes about two minutes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { debianHttpbinAvailability, startUpstream, type RunningUpstream } from '../../../harness/src/upstream/index.js';
import { requireOrSkip } from '../../../harness/src/upstream/requirements.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const httpbin = requireOrSkip('debian-httpbin', debianHttpbinAvailability());
const REQUESTS = 50;
const PAUSE_MS = 2_100;

describe.skipIf(httpbin.skip)(`pauses against gunicorn's 2 s keep-alive${httpbin.skip ? ` (skipped: ${httpbin.reason})` : ''}`, () => {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    // gunicorn's --keep-alive default is 2 s, the value the labs' httpbin runs with.
    upstream = await startUpstream('debian-httpbin');
    gateway = await startTestGateway(upstream.port);
    const created = await postConfig(gateway, {
      _format_version: '3.0',
      services: [{ name: 'httpbin', url: 'http://httpbin.kong.svc.cluster.local:8000', routes: [{ name: 'all', paths: ['/'] }] }],
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it(`answers ${REQUESTS} requests sent ${PAUSE_MS} ms apart without one 502`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const response = await request(`http://127.0.0.1:${gateway.proxy.port}/get`);
      await response.body.dump();
      statuses.push(response.statusCode);
      expect(response.headers.server).toBe('gunicorn');
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, (REQUESTS * (PAUSE_MS + 1_000)) + 30_000);
});
