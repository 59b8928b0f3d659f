// State a plugin keeps belongs to the gateway running it: two gateways in one process never share
// rate-limiting counters, neither through the proxy nor through the admin counters endpoint.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';

const declaration = {
  _format_version: '3.0',
  services: [
    {
      name: 'svc',
      url: 'http://httpbin.kong.svc.cluster.local:8000',
      routes: [{ name: 'limited', paths: ['/limited'], plugins: [{ name: 'rate-limiting', config: { minute: 1, limit_by: 'ip' } }] }],
    },
  ],
};

describe('two gateways in one process', () => {
  let upstream: RunningUpstream;
  let first: RunningGateway;
  let second: RunningGateway;

  beforeAll(async () => {
    upstream = await startEmbeddedHttpbin();
    first = await startTestGateway(upstream.port);
    second = await startTestGateway(upstream.port);
    for (const gateway of [first, second]) expect((await postConfig(gateway, declaration)).status).toBe(201);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await upstream?.close();
  });

  const hit = async (gateway: RunningGateway) => {
    const response = await request(`http://127.0.0.1:${gateway.proxy.port}/limited/get`);
    await response.body.dump();
    return response.statusCode;
  };
  const counters = async (gateway: RunningGateway) => {
    const response = await request(`http://127.0.0.1:${gateway.admin.port}/_labkit/rate-limiting/counters`);
    return ((await response.body.json()) as { counters: number }).counters;
  };

  it('do not share rate-limiting counters', async () => {
    expect(await hit(first)).toBe(200);
    expect(await hit(first)).toBe(429);
    expect(first.counters.size()).toBe(1);
    expect(await counters(first)).toBe(1);
    expect(await counters(second)).toBe(0);
    // The same client's minute on the other gateway is untouched.
    expect(await hit(second)).toBe(200);
    expect(await hit(second)).toBe(429);
  });

  it("resetting one gateway's counters leaves the other's", async () => {
    const reset = await request(`http://127.0.0.1:${first.admin.port}/_labkit/rate-limiting/counters`, { method: 'DELETE' });
    await reset.body.dump();
    expect(reset.statusCode).toBe(204);
    expect(await hit(first)).toBe(200);
    expect(await hit(second)).toBe(429);
  });
});
