// The workshop page's responses, against the real httpbin (Debian's python3-httpbin under gunicorn).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { debianHttpbinAvailability, startUpstream, type RunningUpstream } from '../../../harness/src/upstream/index.js';
import { requireOrSkip } from '../../../harness/src/upstream/requirements.js';
import type { RunningGateway } from '../../src/gateway.js';
import { asKongConfig, labDeclaration, postConfig, startTestGateway } from './gateway-harness.js';

const httpbin = requireOrSkip('debian-httpbin', debianHttpbinAvailability());
const REQUEST_ID = /^[0-9a-f]{32}$/;
const VIA = /^1\.1 kong\/\d+\.\d+\.\d+(\.\d+)?(-enterprise-edition)?$/;

describe.skipIf(httpbin.skip)(`the workshop against Debian's httpbin${httpbin.skip ? ` (skipped: ${httpbin.reason})` : ''}`, () => {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;
  let proxy: string;

  beforeAll(async () => {
    upstream = await startUpstream('debian-httpbin');
    gateway = await startTestGateway(upstream.port);
    proxy = `http://127.0.0.1:${gateway.proxy.port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function send(method: 'GET' | 'HEAD', path: string, headers: Record<string, string> = {}) {
    const response = await request(`${proxy}${path}`, { method, headers });
    const body = await response.body.text();
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body };
  }

  it('step 2: key-auth without a key answers 401 exactly like Kong 3.11', async () => {
    expect((await postConfig(gateway, asKongConfig(labDeclaration(2)))).status).toBe(201);
    const response = await send('GET', '/key-auth-route/get');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Key');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-length']).toBe('96');
    expect(response.headers['x-kong-request-id']).toMatch(REQUEST_ID);
    expect(response.headers.server).toBe('kong/3.11.0.0-enterprise-edition');
    expect(response.headers['x-kong-response-latency']).toMatch(/^\d+$/);
    expect(response.body).toBe(
      `{\n  "message":"No API key found in request",\n  "request_id":"${response.headers['x-kong-request-id']}"\n}`,
    );
  });

  it('step 3: the right key reaches httpbin, a wrong key is Unauthorized', async () => {
    expect((await postConfig(gateway, asKongConfig(labDeclaration(3)))).status).toBe(201);
    const get = await send('GET', '/key-auth-route/get', { apikey: '123456' });
    expect(get.status).toBe(200);
    const echoed = JSON.parse(get.body);
    expect(echoed.headers['X-Consumer-Username']).toBe('consumer1');
    expect(echoed.headers.Apikey).toBe('123456');
    expect(echoed.url).toMatch(/\/get$/);

    const head = await send('HEAD', '/key-auth-route/get', { apikey: '123456' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.server).toBe('gunicorn');
    expect(head.headers.via).toMatch(VIA);
    expect(head.headers['content-type']).toBe('application/json');
    expect(head.headers['content-length']).toMatch(/^\d+$/);
    expect(head.headers['access-control-allow-origin']).toBe('*');
    expect(head.headers['x-kong-upstream-latency']).toMatch(/^\d+$/);
    expect(head.headers['x-kong-proxy-latency']).toMatch(/^\d+$/);
    expect(head.headers['x-kong-request-id']).toMatch(REQUEST_ID);

    const wrong = await send('HEAD', '/key-auth-route/get', { apikey: '12' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toBe('');
    expect(wrong.headers['content-length']).toBe('81');
    expect(wrong.headers['www-authenticate']).toBe('Key');
    const wrongGet = await send('GET', '/key-auth-route/get', { apikey: '12' });
    expect(JSON.parse(wrongGet.body).message).toBe('Unauthorized');
  });

  it('step 5: consumer1 is limited to 5 per minute while consumer2 (8 per minute) is unaffected', async () => {
    expect((await postConfig(gateway, asKongConfig(labDeclaration(5)))).status).toBe(201);
    // A burst that straddles a UTC minute would see two windows: start it in a fresh minute.
    const secondsIntoMinute = new Date().getUTCSeconds();
    if (secondsIntoMinute > 50) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));

    for (const remaining of [4, 3, 2, 1, 0]) {
      const response = await send('HEAD', '/key-auth-route/get', { apikey: '123456' });
      expect(response.status).toBe(200);
      expect(response.headers['x-ratelimit-limit-minute']).toBe('5');
      expect(response.headers['x-ratelimit-remaining-minute']).toBe(String(remaining));
      expect(response.headers['ratelimit-limit']).toBe('5');
      expect(response.headers['ratelimit-remaining']).toBe(String(remaining));
      expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(Number(response.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);

      const other = await send('HEAD', '/key-auth-route/get', { apikey: '987654' });
      expect(other.status).toBe(200);
      expect(other.headers['x-ratelimit-limit-minute']).toBe('8');
    }
    const blocked = await send('GET', '/key-auth-route/get', { apikey: '123456' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['content-length']).toBe('92');
    expect(blocked.headers['x-ratelimit-remaining-minute']).toBe('0');
    expect(blocked.headers['ratelimit-remaining']).toBe('0');
    expect(blocked.headers['retry-after']).toBe(blocked.headers['ratelimit-reset']);
    expect(JSON.parse(blocked.body)).toEqual({ message: 'API rate limit exceeded', request_id: blocked.headers['x-kong-request-id'] });

    const stillAllowed = await send('HEAD', '/key-auth-route/get', { apikey: '987654' });
    expect(stillAllowed.status).toBe(200);
    expect(stillAllowed.headers['x-ratelimit-remaining-minute']).toBe('2');
  });

  it("lab 9: basic-auth and acl on a second route, as gunicorn's httpbin sees the request", async () => {
    expect((await postConfig(gateway, asKongConfig(labDeclaration(9)))).status).toBe(201);
    const authorization = `Basic ${Buffer.from('consumer1:open-sesame').toString('base64')}`;
    const admitted = await send('GET', '/basic-auth-route/get', { Authorization: authorization });
    expect(admitted.status).toBe(200);
    expect(admitted.headers.server).toBe('gunicorn');
    const echoed = JSON.parse(admitted.body);
    expect(echoed.headers).toMatchObject({
      Authorization: authorization,
      'X-Consumer-Username': 'consumer1',
      'X-Credential-Identifier': 'consumer1',
      'X-Consumer-Groups': 'httpbin-admins',
    });
    expect(echoed.headers['X-Anonymous-Consumer']).toBeUndefined();

    const refused = await send('GET', '/basic-auth-route/get', { Authorization: `Basic ${Buffer.from('consumer2:let-me-in').toString('base64')}` });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-length']).toBe('100');
    expect(JSON.parse(refused.body)).toEqual({ message: 'You cannot consume this service', request_id: refused.headers['x-kong-request-id'] });

    const anonymous = await send('GET', '/basic-auth-route/get');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="service"');
    expect(anonymous.headers['content-length']).toBe('81');
  });
});
