// Declarations built to freeze, crash or quietly break the gateway (issue 12, declaration half):
// each is refused with a 400 that changes nothing, or loaded the way Kong reads it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, postJson, postYaml, startAdmin, type TestAdmin } from './admin-harness.js';

let admin: TestAdmin;

beforeEach(async () => {
  admin = await startAdmin();
  // A known configuration, so every refusal can be shown to leave it in place.
  expect((await postYaml(admin, '/config', KNOWN_YAML)).status).toBe(201);
});
afterEach(async () => admin.close());

const KNOWN_YAML = `_format_version: "3.0"\nconsumers:\n- username: known\n`;

async function statusHash(): Promise<string> {
  return (await call(admin, 'GET', '/status')).body.configuration_hash;
}

/** Sends `send`, expects a 400 (or `status`) and an unchanged configuration; returns the body. */
async function expectRefused(send: () => Promise<{ status: number; body: any }>, status = 400): Promise<any> {
  const before = await statusHash();
  const response = await send();
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(await statusHash()).toBe(before);
  expect(admin.store.current.config.consumers.map((c) => c.username)).toEqual(['known']);
  return response.body;
}

const rawBody = (body: Buffer, contentType: string) => call(admin, 'POST', '/config', { body, headers: { 'content-type': contentType } });

describe('YAML aliases (item 1)', () => {
  it('refuses an alias bomb quickly instead of expanding it', async () => {
    // The issue's 475-byte body: 10^8 leaves once expanded.
    const levels = ['- &a0 [lol]'];
    for (let i = 1; i <= 8; i++) levels.push(`- &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
    const bomb = `_format_version: "3.0"\n_ignore:\n${levels.join('\n')}\nservices:\n- {name: s, host: h, _ignore: *a8}\n`;
    const body = await expectRefused(() => postYaml(admin, '/config', bomb, 'text/yaml'));
    expect(body.message).toMatch(/expands to more than \d+ values/);
  });

  it('refuses an alias that contains itself', async () => {
    const body = await expectRefused(() => postYaml(admin, '/config', '_format_version: "3.0"\n_ignore: &loop [*loop]\n'));
    expect(body.message).toMatch(/alias refers to itself/);
  });

  it('still loads a declaration that shares a few anchors', async () => {
    const text = `_format_version: "3.0"\nconsumers:\n- username: a\n  tags: &t [lab, shared]\n- username: b\n  tags: *t\n`;
    expect((await postYaml(admin, '/config', text)).status).toBe(201);
    expect(admin.store.current.config.consumers.map((c) => c.tags)).toEqual([
      ['lab', 'shared'],
      ['lab', 'shared'],
    ]);
  });
});

describe('nesting depth (item 9)', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('refuses JSON nested 10,000 deep with a 400, like Kong’s decoder refusing depth > 1000', async () => {
    const json = `{"_format_version":"3.0","_ignore":${nested(10_000)}}`;
    const body = await expectRefused(() => rawBody(Buffer.from(json), 'application/json'));
    expect(body.message).toMatch(/nested deeper than 1000 levels/);
    // The same text sent as text goes through the declarative parser: refused there too.
    await expectRefused(() => rawBody(Buffer.from(json), 'text/plain'));
  });

  it('refuses YAML nested 10,000 deep', async () => {
    const yaml = `_format_version: "3.0"\n_ignore: ${nested(10_000)}\n`;
    const body = await expectRefused(() => postYaml(admin, '/config', yaml));
    expect(body.message).toMatch(/nested deeper than 1000 levels, at line 2, column \d+/);
  });

  it('accepts nesting within the limit', async () => {
    // The document itself is the first level.
    const tooDeep = `{"_format_version":"3.0","_ignore":${nested(1000)}}`;
    await expectRefused(() => rawBody(Buffer.from(tooDeep), 'application/json'));
    await expectRefused(() => postYaml(admin, '/config', `_format_version: "3.0"\n_ignore: ${nested(1000)}\n`));
    const json = `{"_format_version":"3.0","_ignore":${nested(999)}}`;
    expect((await rawBody(Buffer.from(json), 'application/json')).status).toBe(201);
    expect((await postYaml(admin, '/config', `_format_version: "3.0"\n_ignore: ${nested(999)}\n`)).status).toBe(201);
  });
});

describe('prototype names (items 5 and 13)', () => {
  it('an entity named __proto__ with a bad reference gets its error and pollutes nothing', async () => {
    const body = await expectRefused(() =>
      rawBody(
        Buffer.from('{"_format_version":"3.0","routes":[{"name":"__proto__","paths":["/x"],"service":"INJECTED"}]}'),
        'application/json',
      ),
    );
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, '1')).toBe(false);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
    expect(Object.keys(body.fields.routes)).toEqual(['__proto__']);
    expect(body.fields.routes.__proto__).toEqual(["invalid reference 'service: INJECTED' (no such entry in 'services')"]);
  });

  it('flatten_errors after such a refusal blames only the entity at fault', async () => {
    await rawBody(
      Buffer.from('{"_format_version":"3.0","plugins":[{"name":"key-auth","instance_name":"__proto__","route":"NOPE"}]}'),
      'application/json',
    );
    const response = await postJson(admin, '/config?flatten_errors=1', {
      _format_version: '3.0',
      services: [{ name: 'fine', host: 'h' }, { name: 'bad', port: 99999, host: 'h' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.flattened_errors.map((e: any) => e.entity_name)).toEqual(['bad']);
  });

  it('unknown fields named like Object.prototype members are refused, not dropped', async () => {
    const body = await expectRefused(() =>
      rawBody(
        Buffer.from(
          '{"_format_version":"3.0","__proto__":{"x":1},"valueOf":1,' +
            '"services":[{"name":"s","host":"h","toString":"a","constructor":"b","hasOwnProperty":"c","__proto__":{"y":1}}]}',
        ),
        'application/json',
      ),
    );
    expect(body.fields.valueOf).toBe('unknown field');
    expect(Object.getOwnPropertyDescriptor(body.fields, '__proto__')?.value).toBe('unknown field');
    const service = body.fields.services[0];
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expect(Object.getOwnPropertyDescriptor(service, name)?.value, name).toBe('unknown field');
    }
  });

  it('a route header condition named __proto__ is kept, not dropped', async () => {
    const response = await rawBody(
      Buffer.from('{"_format_version":"3.0","routes":[{"name":"r","paths":["/x"],"headers":{"__proto__":["b"],"constructor":["c"]}}]}'),
      'application/json',
    );
    expect(response.status).toBe(201);
    const headers = admin.store.current.config.routes[0].headers!;
    expect(Object.getOwnPropertyNames(headers).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual(['b']);
  });
});

describe('null and empty tables (items 10 and 12)', () => {
  it('services[].url: null is read as no url, not a 500', async () => {
    const missingHost = await expectRefused(() => postJson(admin, '/config', { _format_version: '3.0', services: [{ name: 's', url: null }] }));
    expect(missingHost.fields.services[0].host).toBe('required field missing');
    const response = await postJson(admin, '/config', { _format_version: '3.0', services: [{ name: 's', url: null, host: 'h' }] });
    expect(response.status).toBe(201);
    expect(admin.store.current.config.services[0].host).toBe('h');
  });

  it('key_names: {} is the empty list Kong sees, stored as []', async () => {
    const response = await postJson(admin, '/config', {
      _format_version: '3.0',
      plugins: [{ name: 'key-auth', config: { key_names: {} } }],
    });
    expect(response.status).toBe(201);
    expect(admin.store.current.config.plugins[0].config.key_names).toEqual([]);
  });
});

describe('UTF-8 (item 14)', () => {
  const invalid = Buffer.from([0xc3, 0x28]);

  it('refuses invalid UTF-8 in a JSON body, a YAML body and a form field', async () => {
    const json = Buffer.concat([Buffer.from('{"_format_version":"3.0","consumers":[{"username":"'), invalid, Buffer.from('"}]}')]);
    expect((await expectRefused(() => rawBody(json, 'application/json'))).message).toMatch(/invalid UTF-8 at byte 51/);
    const yaml = Buffer.concat([Buffer.from('_format_version: "3.0"\nconsumers:\n- username: '), invalid, Buffer.from('\n')]);
    expect((await expectRefused(() => rawBody(yaml, 'application/yaml'))).message).toMatch(/invalid UTF-8/);
    const form = `config=${encodeURIComponent('_format_version: "3.0"\nconsumers:\n- username: x')}%C3%28`;
    expect((await expectRefused(() => rawBody(Buffer.from(form), 'application/x-www-form-urlencoded'))).message).toMatch(/invalid UTF-8/);
  });

  it('refuses a JSON escape that is half a surrogate pair', async () => {
    const json = '{"_format_version":"3.0","consumers":[{"username":"a\\ud800b"}]}';
    expect((await expectRefused(() => rawBody(Buffer.from(json), 'application/json'))).message).toMatch(/not valid Unicode/);
  });

  it('accepts valid multi-byte names', async () => {
    expect((await postJson(admin, '/config', { _format_version: '3.0', consumers: [{ username: 'zoë-🔑' }] })).status).toBe(201);
  });
});

describe('YAML scalars (item 15)', () => {
  it('keeps timestamps as the strings they were written as', async () => {
    const text = `_format_version: "3.0"\nconsumers:\n- username: 2001-12-14\n  custom_id: 2001-12-14t21:59:43.10-05:00\n  tags: [2002-12-14]\n`;
    const response = await postYaml(admin, '/config', text);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const [consumer] = admin.store.current.config.consumers;
    expect(consumer).toMatchObject({ username: '2001-12-14', custom_id: '2001-12-14t21:59:43.10-05:00', tags: ['2002-12-14'] });
  });

  it('refuses YAML-only types (binary, sets) instead of turning them into objects', async () => {
    const body = await expectRefused(() => postYaml(admin, '/config', '_format_version: "3.0"\n_comment: !!binary aGVsbG8=\n'));
    expect(body.message).toMatch(/unknown tag/);
  });
});

describe('declaration size', () => {
  it('answers 413 to a body over 10 MiB, and the client reads it (no reset while it is still sending)', async () => {
    for (const size of [11, 40]) {
      const huge = Buffer.alloc(size * 1024 * 1024, 0x20);
      const body = await expectRefused(() => rawBody(huge, 'application/yaml'), 413);
      expect(body.message).toMatch(/larger than 10 MiB/);
    }
  });
});

describe('limit messages say where', () => {
  it('names the place in the document where a limit was crossed', async () => {
    const deep = `{"_format_version":"3.0","consumers":[{"username":"a","tags":${'['.repeat(1200)}${']'.repeat(1200)}}]}`;
    const body = await expectRefused(() => rawBody(Buffer.from(deep), 'text/plain'));
    expect(body.message).toMatch(/nested deeper than 1000 levels, at consumers\.1\.tags\.1\.1\.1…/);
    const surrogate = await expectRefused(() =>
      rawBody(Buffer.from('{"_format_version":"3.0","consumers":[{"username":"ok"},{"username":"x\\udc00"}]}'), 'application/json'),
    );
    expect(surrogate.message).toMatch(/not valid Unicode \(a lone surrogate\), at consumers\.2\.username/);
  });
});
