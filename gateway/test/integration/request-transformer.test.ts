// request-transformer as Kong 3.11 runs it (spec/03-plugins/36-request-transformer/02-access_spec.lua),
// observed through httpbin's echo: the embedded copy always, Debian's httpbin where it is installed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import { debianHttpbinAvailability, startUpstream, type RunningUpstream } from '../../../harness/src/upstream/index.js';
import { requireOrSkip } from '../../../harness/src/upstream/requirements.js';
import type { RunningGateway } from '../../src/gateway.js';
import { postConfig, startTestGateway } from './gateway-harness.js';
import { startCountingUpstream, type CountingUpstream } from './counting-upstream.js';

const UPSTREAM = 'http://httpbin.kong.svc.cluster.local:8000';

/** One route per case: `paths` [`/<name>`] unless given, the plugin config as the test's. */
interface Case {
  name: string;
  config: Record<string, unknown>;
  paths?: string[];
}

function declaration(cases: Case[], extraPlugins: Record<string, unknown[]> = {}) {
  return {
    _format_version: '3.0',
    services: [
      {
        name: 'httpbin',
        url: UPSTREAM,
        routes: cases.map((c) => ({
          name: c.name,
          paths: c.paths ?? [`/${c.name}`],
          plugins: [{ name: 'request-transformer', config: c.config }, ...(extraPlugins[c.name] ?? [])],
        })),
      },
    ],
  };
}

interface Echo {
  status: number;
  json: any;
  text: string;
}

function proxyClient(gateway: () => RunningGateway) {
  return async (method: string, path: string, options: { headers?: Record<string, string | string[]>; body?: string } = {}): Promise<Echo> => {
    const response = await request(`http://127.0.0.1:${gateway().proxy.port}${path}`, { method: method as 'GET', headers: options.headers, body: options.body });
    const text = await response.body.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.statusCode, json, text };
  };
}

const CASES: Case[] = [
  { name: 'remove', config: { remove: { headers: ['x-to-remove'], querystring: ['toremovequery'], body: ['toremoveform'] } } },
  { name: 'rename', config: { rename: { headers: ['x-to-rename:x-is-renamed'], querystring: ['originalparam:renamedparam'], body: ['originalparam:renamedparam'] } } },
  { name: 'rename-case', config: { rename: { headers: ['x-to-rename:X-TO-RENAME'] } } },
  { name: 'replace', config: { replace: { headers: ['h1:v1'], querystring: ['q1:v1'], body: ['p1:v1'] } } },
  { name: 'add', config: { add: { headers: ['h1:v1', 'h2:value:2', 'host:mark'], querystring: ['q1:v1'], body: ['p1:v1'] } } },
  { name: 'append', config: { append: { headers: ['h1:v1', 'h1:v2', 'h2:v1'], querystring: ['q1:v1', 'q1:v2', 'q2:v1'], body: ['p1:v1', 'p1:v2', 'p2:v1'] } } },
  {
    name: 'all',
    config: {
      remove: { headers: ['h1'], querystring: ['q1'] },
      replace: { headers: ['h2:replaced'], querystring: ['q2:replaced'] },
      add: { headers: ['h1:added', 'h2:not-added'], querystring: ['q1:added'] },
      append: { headers: ['h3:appended'], querystring: ['q3:appended'] },
    },
  },
  { name: 'remove-add', config: { remove: { headers: ['authorization'] }, add: { headers: ['authorization:Basic test'] } } },
  { name: 'method-post', config: { http_method: 'POST' } },
  { name: 'method-get', config: { http_method: 'GET' } },
  { name: 'method-json', config: { http_method: 'POST', add: { body: ['hello:world'] } } },
  { name: 'host', config: { replace: { headers: ['host:changed.example'] } } },
  {
    name: 'captures',
    paths: ['~/captures/user1/(?<user1>\\w+)/user2/(?<user2>\\w+)'],
    config: { add: { querystring: ['uri_param1:$(uri_captures.user1)', 'uri_param2[some_index][1]:$(uri_captures.user2)'] } },
  },
  {
    name: 'uri',
    paths: ['~/uri/user1/(?<user1>\\w+)/user2/(?<user2>\\S+)'],
    config: { replace: { uri: '/anything/user2/$(uri_captures.user2)/user1/$(uri_captures.user1)' } },
  },
  { name: 'uri-index', paths: ['~/uri-index/(\\w+)'], config: { replace: { uri: '/anything$(uri_captures[0])/$(uri_captures[1])' } } },
  {
    name: 'defaults',
    paths: ['~/defaults(?<user1>/x)?'],
    config: { add: { querystring: ["uri_param1:$(uri_captures.user1 or 'default1')", "uri_param2:$(uri_captures.user2 or 'default2')"] } },
  },
  {
    name: 'env',
    config: {
      remove: { headers: ['x-remove-header'], querystring: ['q1'] },
      replace: { headers: ['x-replace-header:the new value'] },
      add: {
        querystring: ["q2:$(headers['x-remove-header'])", 'q3:$(headers.x_replace_header)', 'q4:$(query_params.q1)'],
        headers: ['x-test-header:$(query_params.q1)', "x-old:$(headers['x-replace-header'])"],
      },
    },
  },
  { name: 'escaped', config: { add: { querystring: ["q1:$('$(uri_captures.user1)')"], headers: ['x-literal:$(not closed', 'x-hash:#value'] } } },
  { name: 'object-names', config: { add: { headers: ['constructor:added', '__proto__:added', 'toString:added'] } } },
  { name: 'host-template', config: { add: { headers: ['x-client-host:$(headers.host)', 'x-client-host-upper:$(headers.Host)'] } } },
  { name: 'consumer-header', config: { add: { headers: ['x-who:$(headers.x_consumer_username)'] } } },
];

function describeAgainst(kind: 'embedded' | 'debian', startUpstreamOf: () => Promise<RunningUpstream>) {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;
  const send = proxyClient(() => gateway);

  beforeAll(async () => {
    upstream = await startUpstreamOf();
    gateway = await startTestGateway(upstream.port);
    const loaded = await postConfig(gateway, declaration(CASES));
    expect(loaded.body).toMatchObject({});
    expect(loaded.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };

  describe(`${kind} httpbin: remove`, () => {
    it('a header, a query arg and a form field', async () => {
      const r = await send('POST', '/remove/anything?toremovequery=yes&nottoremove=yes', {
        headers: { ...form, 'x-to-remove': 'true', 'x-to-keep': 'true' },
        body: 'toremoveform=yes&nottoremove=yes',
      });
      expect(r.status).toBe(200);
      expect(r.json.headers['X-To-Remove']).toBeUndefined();
      expect(r.json.headers['X-To-Keep']).toBe('true');
      expect(r.json.args).toEqual({ nottoremove: 'yes' });
      expect(r.json.form).toEqual({ nottoremove: 'yes' });
    });

    it('a JSON field, keeping an empty array an array', async () => {
      const r = await send('POST', '/remove/anything', { headers: json, body: JSON.stringify({ toremoveform: 'yes', nottoremove: 'yes', list: [] }) });
      expect(r.json.json).toEqual({ nottoremove: 'yes', list: [] });
    });

    it('does not fail on a malformed or empty JSON body', async () => {
      const malformed = await send('POST', '/remove/anything', { headers: json, body: 'malformed json body' });
      expect(malformed.status).toBe(200);
      expect(malformed.json.data).toBe('malformed json body');
      const empty = await send('POST', '/remove/anything', { headers: json, body: '' });
      expect(empty.status).toBe(200);
      expect(empty.json.data).toBe('');
    });

    it('a multipart field', async () => {
      const boundary = 'xyz';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="toremoveform"\r\n\r\nyes\r\n--${boundary}\r\nContent-Disposition: form-data; name="nottoremove"\r\n\r\nyes\r\n--${boundary}--\r\n`;
      const r = await send('POST', '/remove/anything', { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
      expect(r.json.form).toEqual({ nottoremove: 'yes' });
    });
  });

  describe(`${kind} httpbin: rename`, () => {
    it('a header, a query arg and a form field; a missing one is not created', async () => {
      const r = await send('POST', '/rename/anything?originalparam=yes', { headers: { ...form, 'x-to-rename': 'true' }, body: 'originalparam=yes&nottorename=yes' });
      expect(r.json.headers['X-Is-Renamed']).toBe('true');
      expect(r.json.headers['X-To-Rename']).toBeUndefined();
      expect(r.json.args).toEqual({ renamedparam: 'yes' });
      expect(r.json.form).toEqual({ renamedparam: 'yes', nottorename: 'yes' });
      const missing = await send('GET', '/rename/anything');
      expect(missing.json.headers['X-Is-Renamed']).toBeUndefined();
      expect(missing.json.args).toEqual({});
    });

    it('overrides the target header when it already exists', async () => {
      const r = await send('GET', '/rename/anything', { headers: { 'x-to-rename': 'new', 'x-is-renamed': 'old' } });
      expect(r.json.headers['X-Is-Renamed']).toBe('new');
    });

    it('a JSON field and a multipart field', async () => {
      const r = await send('POST', '/rename/anything', { headers: json, body: JSON.stringify({ originalparam: 'yes', nottorename: 'yes' }) });
      expect(r.json.json).toEqual({ renamedparam: 'yes', nottorename: 'yes' });
      const boundary = 'b0';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="originalparam"\r\n\r\nyes\r\n--${boundary}--\r\n`;
      const multipart = await send('POST', '/rename/anything', { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
      expect(multipart.json.form).toEqual({ renamedparam: 'yes' });
    });

    it('when only the capitalization changes, the header keeps its value', async () => {
      const r = await send('GET', '/rename-case/anything', { headers: { 'x-to-rename': 'kept' } });
      expect(r.json.headers['X-To-Rename']).toBe('kept');
    });
  });

  describe(`${kind} httpbin: replace`, () => {
    it('only what exists: header, query arg, form field', async () => {
      const r = await send('POST', '/replace/anything?q1=a&q2=b', { headers: { ...form, h1: 'old' }, body: 'p1=old&p2=keep' });
      expect(r.json.headers.H1).toBe('v1');
      expect(r.json.args).toEqual({ q1: 'v1', q2: 'b' });
      expect(r.json.form).toEqual({ p1: 'v1', p2: 'keep' });
      const absent = await send('POST', '/replace/anything', { headers: form, body: 'p2=keep' });
      expect(absent.json.headers.H1).toBeUndefined();
      expect(absent.json.args).toEqual({});
      expect(absent.json.form).toEqual({ p2: 'keep' });
    });

    it('a JSON field, not a missing one', async () => {
      const r = await send('POST', '/replace/anything', { headers: json, body: JSON.stringify({ p1: 'old', p2: 'keep' }) });
      expect(r.json.json).toEqual({ p1: 'v1', p2: 'keep' });
      const absent = await send('POST', '/replace/anything', { headers: json, body: JSON.stringify({ p2: 'keep' }) });
      expect(absent.json.json).toEqual({ p2: 'keep' });
    });

    it('the Host header sent upstream', async () => {
      const r = await send('GET', '/host/anything');
      expect(r.json.headers.Host).toBe('changed.example');
    });
  });

  describe(`${kind} httpbin: add`, () => {
    it('missing names only; a value keeps every colon after the first', async () => {
      const r = await send('POST', '/add/anything', { headers: form, body: 'p2=keep' });
      expect(r.json.headers.H1).toBe('v1');
      expect(r.json.headers.H2).toBe('value:2');
      expect(r.json.args).toEqual({ q1: 'v1' });
      expect(r.json.form).toEqual({ p1: 'v1', p2: 'keep' });
      const existing = await send('POST', '/add/anything?q1=mine', { headers: { ...form, h1: 'mine' }, body: 'p1=mine' });
      expect(existing.json.headers.H1).toBe('mine');
      expect(existing.json.args).toEqual({ q1: 'mine' });
      expect(existing.json.form).toEqual({ p1: 'mine' });
    });

    it('adds headers named like what every object has (constructor, __proto__, toString)', async () => {
      const r = await send('GET', '/object-names/anything');
      // httpbin shows `_` as `-` in header names.
      expect([r.json.headers.Constructor, r.json.headers['--Proto--'], r.json.headers.Tostring]).toEqual(['added', 'added', 'added']);
    });

    it('never changes the Host header', async () => {
      const r = await send('GET', '/add/anything');
      expect(r.json.headers.Host).toBe('httpbin.kong.svc.cluster.local:8000');
    });

    it('a JSON field, also to an empty body', async () => {
      const r = await send('POST', '/add/anything', { headers: json, body: JSON.stringify({ p2: 'keep', list: [] }) });
      expect(r.json.json).toEqual({ p2: 'keep', list: [], p1: 'v1' });
      const empty = await send('POST', '/add/anything', { headers: json, body: '' });
      expect(empty.json.json).toEqual({ p1: 'v1' });
    });

    it('a multipart field', async () => {
      const boundary = 'b1';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="p2"\r\n\r\nkeep\r\n--${boundary}--\r\n`;
      const r = await send('POST', '/add/anything', { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
      expect(r.json.form).toEqual({ p2: 'keep', p1: 'v1' });
    });
  });

  describe(`${kind} httpbin: append`, () => {
    it('repeats headers and query args, grows form fields', async () => {
      const r = await send('POST', '/append/anything?q1=v0', { headers: { ...form, h1: 'v0' }, body: 'p1=v0' });
      expect(r.json.headers.H1).toBe('v0,v1,v2');
      expect(r.json.headers.H2).toBe('v1');
      expect(r.json.args).toEqual({ q1: ['v0', 'v1', 'v2'], q2: 'v1' });
      expect(r.json.form).toEqual({ p1: ['v0', 'v1', 'v2'], p2: 'v1' });
    });

    it('turns a JSON field into an array', async () => {
      const r = await send('POST', '/append/anything', { headers: json, body: JSON.stringify({ p1: 'v0' }) });
      expect(r.json.json).toEqual({ p1: ['v0', 'v1', 'v2'], p2: ['v1'] });
    });
  });

  describe(`${kind} httpbin: remove, replace, add and append together`, () => {
    it('run in Kong order on headers and the query string', async () => {
      const r = await send('GET', '/all/anything?q1=gone&q2=old&q3=first', { headers: { h1: 'gone', h2: 'old', h3: 'first' } });
      expect(r.json.headers.H1).toBe('added');
      expect(r.json.headers.H2).toBe('replaced');
      expect(r.json.headers.H3).toBe('first,appended');
      expect(r.json.args).toEqual({ q1: 'added', q2: 'replaced', q3: ['first', 'appended'] });
    });

    it('remove then add of the same header (regression test)', async () => {
      const present = await send('GET', '/remove-add/anything', { headers: { authorization: 'Basic dGVzdDp0ZXN0' } });
      expect(present.json.headers.Authorization).toBe('Basic test');
      const absent = await send('GET', '/remove-add/anything');
      expect(absent.json.headers.Authorization).toBe('Basic test');
    });
  });

  describe(`${kind} httpbin: http_method`, () => {
    it('GET to POST', async () => {
      const r = await send('GET', '/method-post/anything');
      expect(r.json.method).toBe('POST');
    });

    it('POST to GET moves the form fields into the query string', async () => {
      const r = await send('POST', '/method-get/anything?hello=world', { headers: form, body: 'name=bob&hello=again' });
      expect(r.json.method).toBe('GET');
      expect(r.json.args).toEqual({ hello: ['world', 'again'], name: 'bob' });
    });

    it('GET to POST and adds a JSON body field', async () => {
      const r = await send('GET', '/method-json/anything', { headers: json });
      expect(r.json.method).toBe('POST');
      expect(r.json.json).toEqual({ hello: 'world' });
    });
  });

  describe(`${kind} httpbin: templates`, () => {
    it('uri captures into query args (names escaped, args sorted as set_query sorts them)', async () => {
      const r = await send('GET', '/captures/user1/foo/user2/bar/anything?q1=20');
      expect(r.json.args).toEqual({ q1: '20', uri_param1: 'foo', 'uri_param2[some_index][1]': 'bar' });
      expect(r.json.url).toMatch(/\/anything\?q1=20&uri_param1=foo&uri_param2%5Bsome_index%5D%5B1%5D=bar$/);
    });

    it('replace.uri from named captures; the query string stays', async () => {
      const r = await send('GET', '/uri/user1/foo/user2/bar?x=1');
      expect(r.json.url).toMatch(/\/anything\/user2\/bar\/user1\/foo\?x=1$/);
    });

    it('replace.uri from the whole match and a numbered capture', async () => {
      const r = await send('GET', '/uri-index/abc');
      expect(r.json.url).toMatch(/\/anything\/uri-index\/abc\/abc$/);
    });

    it("falls back with `or 'default'` when a capture is missing", async () => {
      const r = await send('GET', '/defaults/anything?q1=20');
      expect(r.json.args).toEqual({ q1: '20', uri_param1: 'default1', uri_param2: 'default2' });
    });

    it('renders headers and query args as they were before this plugin changed them', async () => {
      const r = await send('GET', '/env/anything?q1=20', { headers: { 'x-remove-header': 'its a test', 'x-replace-header': 'the old value' } });
      expect(r.json.headers['X-Remove-Header']).toBeUndefined();
      expect(r.json.headers['X-Replace-Header']).toBe('the new value');
      expect(r.json.headers['X-Test-Header']).toBe('20');
      expect(r.json.headers['X-Old']).toBe('the old value');
      expect(r.json.args).toEqual({ q2: 'its a test', q3: 'the old value', q4: '20' });
    });

    it("renders $(headers.host) as the client's Host header, as ngx.req.get_headers() has it", async () => {
      const r = await send('GET', '/host-template/anything', { headers: { host: 'class.workshop.test' } });
      expect(r.json.headers['X-Client-Host']).toBe('class.workshop.test');
      expect(r.json.headers['X-Client-Host-Upper']).toBe('class.workshop.test');
    });

    it('renders a missing value as empty', async () => {
      const r = await send('GET', '/env/anything');
      expect(r.json.headers['X-Test-Header']).toBe('');
      expect(r.json.args).toEqual({ q2: '', q3: '', q4: '' });
    });

    it("can be escaped as a quoted string; unbalanced `$(` and '#' stay literal", async () => {
      const r = await send('GET', '/escaped/anything');
      expect(r.json.args).toEqual({ q1: '$(uri_captures.user1)' });
      expect(r.json.headers['X-Literal']).toBe('$(not closed');
      expect(r.json.headers['X-Hash']).toBe('#value');
    });
  });
}

describe('request-transformer against the embedded httpbin', () => {
  describeAgainst('embedded', () => startEmbeddedHttpbin());
});

const debian = requireOrSkip('debian-httpbin', debianHttpbinAvailability());
describe.skipIf(debian.skip)(`request-transformer against Debian's httpbin${debian.skip ? ` (skipped: ${debian.reason})` : ''}`, () => {
  describeAgainst('debian', () => startUpstream('debian-httpbin'));
});

describe('request-transformer with key-auth', () => {
  let upstream: CountingUpstream;
  let gateway: RunningGateway;
  const send = proxyClient(() => gateway);

  beforeAll(async () => {
    upstream = await startCountingUpstream();
    gateway = await startTestGateway(upstream.port);
    const loaded = await postConfig(gateway, {
      _format_version: '3.0',
      consumers: [
        { username: 'consumer1', keyauth_credentials: [{ key: 'key-one' }] },
        { username: 'consumer2', keyauth_credentials: [{ key: 'key-two' }] },
      ],
      services: [
        {
          name: 'httpbin',
          url: UPSTREAM,
          routes: [
            {
              name: 'guarded',
              paths: ['/guarded'],
              plugins: [
                { name: 'key-auth' },
                // Everything the transformer can change, on a route where key-auth must still stop strangers first.
                {
                  name: 'request-transformer',
                  config: {
                    http_method: 'POST',
                    remove: { headers: ['apikey'] },
                    add: { headers: ['x-who:$(headers.x_consumer_username)', 'apikey:key-one'], querystring: ['apikey:key-one'] },
                    replace: { uri: '/anything' },
                  },
                },
              ],
            },
          ],
        },
      ],
      plugins: [{ name: 'request-transformer', consumer: 'consumer1', config: { add: { headers: ['x-consumer-policy:gold'] } } }],
    });
    expect(loaded.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('never lets an unauthenticated request reach the upstream', async () => {
    const before = upstream.hits.length;
    for (const path of ['/guarded', '/guarded/anything', '/guarded?apikey=wrong']) {
      const r = await send('GET', path);
      expect(r.status).toBe(401);
      expect(r.json.message).toMatch(/^(No API key found in request|Unauthorized)$/);
    }
    expect(upstream.hits.length).toBe(before);
  });

  it('transforms what an authenticated request sends, with the consumer key-auth found', async () => {
    await send('GET', '/guarded/ignored', { headers: { apikey: 'key-two' } });
    const hit = upstream.hits.at(-1)!;
    expect(hit.method).toBe('POST');
    expect(hit.url).toBe('/anything?apikey=key-one');
    expect(hit.headers['x-who']).toBe('consumer2');
    expect(hit.headers['x-consumer-username']).toBe('consumer2');
    expect(hit.headers.apikey).toBe('key-one');
    expect(hit.headers['x-consumer-policy']).toBeUndefined();
  });

  it("a consumer-scoped instance wins over the route's for that consumer only (Kong's precedence)", async () => {
    await send('GET', '/guarded/get', { headers: { apikey: 'key-one' } });
    const hit = upstream.hits.at(-1)!;
    expect(hit.headers['x-consumer-policy']).toBe('gold');
    expect(hit.method).toBe('GET');
    expect(hit.url).toBe('/get');
  });
});
