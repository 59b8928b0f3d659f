// response-transformer as Kong 3.11 runs it (spec/03-plugins/15-response-transformer/04-filter_spec.lua and
// 05-big_response_body_spec.lua), on httpbin's responses and on the ones Kong generates itself.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import { debianHttpbinAvailability, startUpstream, type RunningUpstream } from '../../../harness/src/upstream/index.js';
import { requireOrSkip } from '../../../harness/src/upstream/requirements.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';
import { startCountingUpstream, type CountingUpstream } from './counting-upstream.js';

const UPSTREAM = 'http://httpbin.kong.svc.cluster.local:8000';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function client(gateway: () => RunningGateway) {
  return async (method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> => {
    const response = await request(`http://127.0.0.1:${gateway().proxy.port}${path}`, { method: method as 'GET', headers: options.headers, body: options.body });
    const text = await response.body.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  };
}

function route(name: string, config: Record<string, unknown>, extra: unknown[] = []) {
  return { name, paths: [`/${name}`], plugins: [{ name: 'response-transformer', config }, ...extra] };
}

function declaration() {
  return {
    _format_version: '3.0',
    consumers: [{ username: 'consumer1', keyauth_credentials: [{ key: 'key-one' }] }],
    services: [
      {
        name: 'httpbin',
        url: UPSTREAM,
        routes: [
          route('headers', {
            remove: { headers: ['x-remove-me'] },
            rename: { headers: ['x-rename-me:x-renamed'] },
            replace: { headers: ['x-replace-me:replaced', 'x-absent:never'] },
            add: { headers: ['x-added:a:b', 'x-replace-me:not-added'] },
            append: { headers: ['x-append-me:appended', 'x-new:one'] },
          }),
          route('json', {
            remove: { json: ['origin'] },
            rename: { json: ['url:address'] },
            replace: { json: ['method:PATCHED'] },
            add: { json: ['added:true', 'count:42', 'method:never'], json_types: ['boolean', 'number', 'string'] },
            append: { json: ['args:appended'] },
          }),
          route('headers-only', { add: { headers: ['x-added:yes'] } }),
          route('guarded', { add: { headers: ['x-added:yes'], json: ['hint:send an apikey header'] }, remove: { json: ['request_id'] } }, [{ name: 'key-auth' }]),
          route('limited', { add: { json: ['hint:slow down'] } }, [{ name: 'rate-limiting', config: { minute: 1, policy: 'local' } }]),
        ],
      },
    ],
  };
}

function describeAgainst(kind: 'embedded' | 'debian', start: () => Promise<RunningUpstream>) {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;
  const send = client(() => gateway);

  beforeAll(async () => {
    upstream = await start();
    gateway = await startTestGateway(upstream.port);
    expect((await postConfig(gateway, declaration())).status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it(`${kind}: headers: remove, rename, replace only if present, add only if absent, append always`, async () => {
    const r = await send('GET', '/headers/response-headers?x-remove-me=1&x-rename-me=2&x-replace-me=3&x-append-me=4');
    expect(r.status).toBe(200);
    expect(r.headers['x-remove-me']).toBeUndefined();
    expect(r.headers['x-rename-me']).toBeUndefined();
    expect(r.headers['x-renamed']).toBe('2');
    expect(r.headers['x-replace-me']).toBe('replaced');
    expect(r.headers['x-absent']).toBeUndefined();
    expect(r.headers['x-added']).toBe('a:b');
    expect(r.headers['x-append-me']).toEqual(['4', 'appended']);
    expect(r.headers['x-new']).toBe('one');
    // Header-only transforms leave the body and its length alone, and Kong's own headers come after the plugins.
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.text)));
    expect(r.headers['x-kong-upstream-latency']).toMatch(/^\d+$/);
    expect(r.headers.via).toMatch(/kong\//);
  });

  it(`${kind}: a JSON body: remove, rename, replace, add with json_types, append`, async () => {
    const r = await send('GET', '/json/anything?a=1');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.json.origin).toBeUndefined();
    expect(r.json.url).toBeUndefined();
    expect(r.json.address).toMatch(/\/anything\?a=1$/);
    expect(r.json.method).toBe('PATCHED');
    expect(r.json.added).toBe(true);
    expect(r.json.count).toBe(42);
    // args was an object: Lua's table.insert writes its [1], which cjson encodes as "1".
    expect(r.json.args).toEqual({ a: '1', '1': 'appended' });
    // lua-cjson escapes every / in the rewritten body.
    expect(r.text).toContain('"address":"http:\\/\\/');
  });

  it(`${kind}: a body that is not JSON goes out untouched with its Content-Length`, async () => {
    const html = Buffer.from('<p>hello</p>').toString('base64');
    const r = await send('GET', `/json/base64/${html}`);
    expect(r.text).toBe('<p>hello</p>');
    expect(r.headers['content-length']).toBe('12');
  });

  it(`${kind}: JSON with header transforms only keeps its Content-Length`, async () => {
    const r = await send('GET', '/headers-only/anything');
    expect(r.headers['x-added']).toBe('yes');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.text)));
    expect(r.json.url).toMatch(/\/anything$/);
  });

  it(`${kind}: a HEAD request gets the headers and no body`, async () => {
    const r = await send('HEAD', '/json/anything');
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(r.headers['content-length']).toBeUndefined();
  });

  it(`${kind}: a large JSON body is transformed whole`, async () => {
    const big = 'x'.repeat(1024 * 1024);
    const r = await send('POST', '/json/anything', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ big }) });
    expect(r.json.json.big).toBe(big);
    expect(r.json.added).toBe(true);
  });
}

describe('response-transformer against the embedded httpbin', () => {
  describeAgainst('embedded', () => startEmbeddedHttpbin());
});

const debian = requireOrSkip('debian-httpbin', debianHttpbinAvailability());
describe.skipIf(debian.skip)(`response-transformer against Debian's httpbin${debian.skip ? ` (skipped: ${debian.reason})` : ''}`, () => {
  describeAgainst('debian', () => startUpstream('debian-httpbin'));
});

describe('response-transformer on responses Kong generates', () => {
  let upstream: CountingUpstream;
  let gateway: RunningGateway;
  const send = client(() => gateway);

  beforeAll(async () => {
    upstream = await startCountingUpstream();
    gateway = await startTestGateway(upstream.port);
    const config = declaration();
    (config as any).plugins = [{ name: 'response-transformer', config: { add: { headers: ['x-global:yes'] } } }];
    expect((await postConfig(gateway, config)).status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it("transforms key-auth's 401, and the request never reaches the upstream", async () => {
    const before = upstream.hits.length;
    const r = await send('GET', '/guarded/anything');
    expect(r.status).toBe(401);
    expect(r.headers['x-added']).toBe('yes');
    expect(r.headers['www-authenticate']).toBe('Key');
    expect(r.json).toEqual({ message: 'No API key found in request', hint: 'send an apikey header' });
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['x-kong-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(upstream.hits.length).toBe(before);
  });

  it('lets an authenticated request through, transformed', async () => {
    const r = await send('GET', '/guarded/anything', { headers: { apikey: 'key-one' } });
    expect(r.status).toBe(200);
    expect(r.headers['x-added']).toBe('yes');
    expect(r.json).toEqual({ seen: upstream.hits.length, hint: 'send an apikey header' });
  });

  it("transforms rate-limiting's 429", async () => {
    await send('GET', '/limited');
    const r = await send('GET', '/limited');
    expect(r.status).toBe(429);
    expect(r.json.message).toBe('API rate limit exceeded');
    expect(r.json.hint).toBe('slow down');
  });

  it("does not run on the router's 404, as Kong's plugins do not (no plugin is collected without a route)", async () => {
    const r = await send('GET', '/no-such-route');
    expect(r.status).toBe(404);
    expect(r.headers['x-global']).toBeUndefined();
    expect(r.json.message).toBe('no Route matched with those values');
  });

  it('a global instance applies where no route-level one does', async () => {
    // routes with their own instance use it (one instance per plugin); the global one is for the rest.
    const r = await send('GET', '/headers-only');
    expect(r.headers['x-added']).toBe('yes');
    expect(r.headers['x-global']).toBeUndefined();
  });
});

describe('response-transformer streams what it does not change', () => {
  let upstream: Server;
  let gateway: RunningGateway;
  let releaseSecondChunk: () => void = () => undefined;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      if (req.url?.includes('json')) {
        // Two chunks: the gateway must put them together before it can change the document.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"first":');
        setImmediate(() => res.end('"chunk"}'));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      releaseSecondChunk = () => res.end('second');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    gateway = await startTestGateway((upstream.address() as AddressInfo).port);
    const loaded = await postConfig(gateway, {
      _format_version: '3.0',
      services: [{ name: 'slow', url: UPSTREAM, routes: [route('stream', { add: { headers: ['x-added:yes'], json: ['added:yes'] } })] }],
    });
    expect(loaded.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  });

  it('passes a non-JSON body through chunk by chunk: the first arrives while the upstream still holds the rest', async () => {
    const response = await request(`http://127.0.0.1:${gateway.proxy.port}/stream/text`);
    expect(response.headers['x-added']).toBe('yes');
    const chunks: string[] = [];
    for await (const chunk of response.body) {
      chunks.push(String(chunk));
      if (chunks.length === 1) releaseSecondChunk();
    }
    expect(chunks[0]).toBe('first ');
    expect(chunks.join('')).toBe('first second');
  });

  it('buffers a JSON body and sends it once transformed', async () => {
    const reply = await request(`http://127.0.0.1:${gateway.proxy.port}/stream/json`);
    expect(reply.headers['content-length']).toBeUndefined();
    expect(await reply.body.text()).toBe('{"first":"chunk","added":"yes"}');
  });
});
