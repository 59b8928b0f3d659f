import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG_HASH } from '../../src/config-store.js';
import { LAB_CONFIG_YAML, call, postJson, postYaml, startAdmin, type TestAdmin } from './admin-harness.js';

let admin: TestAdmin;

beforeEach(async () => {
  admin = await startAdmin();
});
afterEach(async () => admin.close());

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const LAB_CONFIG = yaml.load(LAB_CONFIG_YAML) as Record<string, unknown>;
const SMALL_YAML = `_format_version: "3.0"\nconsumers:\n- username: carol\n`;
const INVALID = { _format_version: '3.0', services: [{ name: 'broken', port: 99999 }] };

async function statusHash(): Promise<string> {
  return (await call(admin, 'GET', '/status')).body.configuration_hash;
}

function multipart(fields: Record<string, { value: string; filename?: string }>): { body: Buffer; contentType: string } {
  const boundary = '----labkit-boundary-7d1f';
  const parts = Object.entries(fields).map(([name, { value, filename }]) => {
    const disposition = `form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
    const type = filename ? 'Content-Type: application/octet-stream\r\n' : '';
    return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n${value}\r\n`;
  });
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('POST /config body forms', () => {
  it('(a) a JSON body that is the configuration: 201 with the flattened entities', async () => {
    const response = await postJson(admin, '/config', LAB_CONFIG);
    expect(response.status).toBe(201);
    expect(Object.keys(response.body)).toEqual(expect.arrayContaining(['services', 'routes', 'consumers', 'plugins', 'keyauth_credentials']));
    const services = Object.values(response.body.services) as Array<{ name: string; port: number }>;
    expect(services.map((s) => s.name).sort()).toEqual(['echo', 'other']);
    expect(admin.store.current.config.services).toHaveLength(2);
    // No text was sent, so the hash is the md5 of the JSON the configuration serialises to.
    expect(await statusHash()).toBe(md5(JSON.stringify(LAB_CONFIG)));
  });

  it('(b) a raw YAML body with application/yaml, text/yaml or no content type; raw JSON as text/plain', async () => {
    for (const type of ['application/yaml', 'text/yaml', 'application/octet-stream']) {
      const response = await postYaml(admin, '/config', SMALL_YAML, type);
      expect(response.status, type).toBe(201);
    }
    expect(admin.store.current.config.consumers.map((c) => c.username)).toEqual(['carol']);
    expect(await statusHash()).toBe(md5(SMALL_YAML));

    const json = JSON.stringify({ _format_version: '3.0', consumers: [{ username: 'dave' }] });
    expect((await postYaml(admin, '/config', json, 'text/plain')).status).toBe(201);
    expect(admin.store.current.config.consumers.map((c) => c.username)).toEqual(['dave']);
    expect(await statusHash()).toBe(md5(json));
  });

  it('(c) a `config` string field in JSON, url-encoded and multipart bodies', async () => {
    const viaJson = await postJson(admin, '/config', { config: LAB_CONFIG_YAML });
    expect(viaJson.status).toBe(201);
    expect(await statusHash()).toBe(md5(LAB_CONFIG_YAML));

    const form = new URLSearchParams({ config: SMALL_YAML }).toString();
    const viaForm = await call(admin, 'POST', '/config', { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(viaForm.status).toBe(201);
    expect(admin.store.current.config.consumers.map((c) => c.username)).toEqual(['carol']);

    const { body, contentType } = multipart({ config: { value: LAB_CONFIG_YAML } });
    expect((await call(admin, 'POST', '/config', { body, headers: { 'content-type': contentType } })).status).toBe(201);
    expect(admin.store.current.config.services).toHaveLength(2);

    // `curl -F config=@kong.yml`: a file part counts as the field's text.
    const file = multipart({ config: { value: SMALL_YAML, filename: 'kong.yml' } });
    expect((await call(admin, 'POST', '/config', { body: file.body, headers: { 'content-type': file.contentType } })).status).toBe(201);
    expect(await statusHash()).toBe(md5(SMALL_YAML));
  });

  it('refuses a `config` field that is not text, as Kong’s text parser does', async () => {
    const response = await postJson(admin, '/config', { config: LAB_CONFIG });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual({ error: 'failed parsing declarative configuration: expected a string' });
    expect(admin.store.current.hash).toBe(EMPTY_CONFIG_HASH);
  });

  it('400 without a body', async () => {
    const response = await call(admin, 'POST', '/config');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: 'expected a declarative configuration' });
  });

  it('400 with Kong’s parse error body for text that is not a configuration', async () => {
    const response = await postYaml(admin, '/config', 'just a string', 'text/plain');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(14);
    expect(response.body.name).toBe('invalid declarative configuration');
    expect(response.body.fields).toEqual({ error: 'failed parsing declarative configuration: expected an object' });
  });

  it('400 "Cannot parse JSON body" for broken JSON sent as application/json', async () => {
    const response = await call(admin, 'POST', '/config', { body: '{"_format_version":', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: 'Cannot parse JSON body' });
  });
});

describe('rejected configurations', () => {
  it('answers 400 with nested fields, and flattened_errors when asked', async () => {
    const plain = await postJson(admin, '/config', INVALID);
    expect(plain.status).toBe(400);
    expect(plain.body).toMatchObject({ code: 14, name: 'invalid declarative configuration' });
    expect(plain.body.fields.services[0]).toMatchObject({ host: 'required field missing' });
    expect(plain.body.flattened_errors).toBeUndefined();

    for (const flag of ['1', 'true', 'on', 'yes']) {
      const flattened = await postJson(admin, `/config?flatten_errors=${flag}`, INVALID);
      expect(flattened.status, flag).toBe(400);
      expect(flattened.body.flattened_errors).toEqual([
        expect.objectContaining({ entity_type: 'service', entity_name: 'broken', errors: expect.any(Array) }),
      ]);
    }
    const viaBody = await postJson(admin, '/config', { config: JSON.stringify(INVALID), flatten_errors: true });
    expect(viaBody.body.flattened_errors).toHaveLength(1);
  });

  it('leaves the active configuration, its hash and GET /config unchanged', async () => {
    expect((await postYaml(admin, '/config', LAB_CONFIG_YAML)).status).toBe(201);
    const before = { hash: await statusHash(), exported: (await call(admin, 'GET', '/config')).body.config };

    expect((await postJson(admin, '/config', INVALID)).status).toBe(400);
    expect((await postYaml(admin, '/config', '{{{', 'text/plain')).status).toBe(400);
    expect((await call(admin, 'POST', '/config')).status).toBe(400);

    expect(await statusHash()).toBe(before.hash);
    expect((await call(admin, 'GET', '/config')).body.config).toBe(before.exported);
    expect(admin.store.current.config.services).toHaveLength(2);
  });
});

describe('check_hash', () => {
  it('answers 304 when the text matches the active hash, and loads otherwise', async () => {
    expect((await postYaml(admin, '/config?check_hash=1', LAB_CONFIG_YAML)).status).toBe(201);
    const loadedAt = admin.store.current.loadedAt;

    const same = await postYaml(admin, '/config?check_hash=1', LAB_CONFIG_YAML);
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(admin.store.current.loadedAt).toBe(loadedAt);

    expect((await postJson(admin, '/config', { config: LAB_CONFIG_YAML, check_hash: 1 })).status).toBe(304);
    // Without the flag (or with a value other than 1) the same text is loaded again.
    expect((await postYaml(admin, '/config', LAB_CONFIG_YAML)).status).toBe(201);
    expect((await postYaml(admin, '/config?check_hash=true', LAB_CONFIG_YAML)).status).toBe(201);
    expect((await postYaml(admin, '/config?check_hash=1', SMALL_YAML)).status).toBe(201);
  });

  it('never applies to a JSON body that is itself the configuration', async () => {
    expect((await postJson(admin, '/config', LAB_CONFIG)).status).toBe(201);
    expect((await postJson(admin, '/config?check_hash=1', LAB_CONFIG)).status).toBe(201);
  });
});

describe('GET /config', () => {
  it('exports the active configuration as YAML in {"config": …}', async () => {
    const empty = await call(admin, 'GET', '/config');
    expect(empty.status).toBe(200);
    expect((yaml.load(empty.body.config) as Record<string, unknown>)._format_version).toBe('3.0');

    await postYaml(admin, '/config', LAB_CONFIG_YAML);
    const exported = yaml.load((await call(admin, 'GET', '/config')).body.config) as Record<string, any>;
    expect(exported._transform).toBe(false);
    expect(exported.services.map((s: { name: string }) => s.name).sort()).toEqual(['echo', 'other']);
  });

  it('other methods on /config are not allowed', async () => {
    const response = await call(admin, 'PUT', '/config', { body: SMALL_YAML });
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ message: 'Method not allowed' });
  });
});

describe('limits', () => {
  it('refuses bodies over 10 MiB with 413 and keeps the configuration', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    const response = await call(admin, 'POST', '/config', { body: huge, headers: { 'content-type': 'application/yaml' } });
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/10 MiB/);
    expect(await statusHash()).toBe(EMPTY_CONFIG_HASH);
  });
});
