// The declarations are the page's own (labs 2–5 byte for byte as the page writes them; lab 1 is the first one
// without its plugins block) and the extra labs extend lab 3 in the same style.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LABS_DIR, loadLabs } from '../../harness/src/index.js';

interface Declaration {
  _format_version: string;
  _konnect: { control_plane_name: string };
  _info: { select_tags: string[] };
  services: Array<{
    name: string;
    host: string;
    port: number;
    routes: Array<{ name: string; paths: string[]; plugins?: Array<{ name: string; instance_name: string; config?: Record<string, unknown> }> }>;
    plugins?: Array<{ name: string; instance_name: string; config?: Record<string, unknown> }>;
  }>;
  consumers?: Array<{
    username: string;
    keyauth_credentials: Array<{ key: string }>;
    basicauth_credentials?: Array<{ username: string; password: string }>;
    acls?: Array<{ group: string }>;
    plugins?: Array<{ name: string; instance_name: string; config: Record<string, unknown> }>;
  }>;
}

const labs = loadLabs();
const declaration = (id: string): Declaration => yaml.load(readFileSync(join(DEFAULT_LABS_DIR, id, 'key-auth.yaml'), 'utf8')) as Declaration;
const text = (id: string): string => readFileSync(join(DEFAULT_LABS_DIR, id, 'key-auth.yaml'), 'utf8');

// The page's first declaration, as the page writes it.
const PAGE_KEY_AUTH = `_format_version: "3.0"
_konnect:
  control_plane_name: kong-workshop
_info:
  select_tags:
  - httpbin-service-route
services:
- name: httpbin-service
  host: httpbin.kong.svc.cluster.local
  port: 8000
  routes:
  - name: httpbin-route
    paths:
    - /key-auth-route
  plugins:
  - name: key-auth
    instance_name: key-auth1
`;
const PAGE_CONSUMER1 = `consumers:
- keyauth_credentials:
  - key: "123456"
  username: consumer1
`;
const PAGE_CONSUMER2 = `- keyauth_credentials:
  - key: "987654"
  username: consumer2
`;

describe('lab declarations', () => {
  it('every lab has key-auth.yaml in the page\'s frame', () => {
    for (const lab of labs) {
      const value = declaration(lab.id);
      expect(value._format_version, lab.id).toBe('3.0');
      expect(value._konnect, lab.id).toEqual({ control_plane_name: 'kong-workshop' });
      expect(value._info, lab.id).toEqual({ select_tags: ['httpbin-service-route'] });
      // The page's service comes first; a lab may add another in front of the same httpbin.
      for (const service of value.services) {
        expect(service, lab.id).toMatchObject({ host: 'httpbin.kong.svc.cluster.local', port: 8000 });
      }
      expect(value.services[0], lab.id).toMatchObject({
        name: 'httpbin-service',
        host: 'httpbin.kong.svc.cluster.local',
        port: 8000,
        routes: [{ name: 'httpbin-route', paths: ['/key-auth-route'] }],
      });
    }
  });

  it('labs 1–4 are the page\'s declarations, in order', () => {
    expect(text('01-plain-route')).toBe(PAGE_KEY_AUTH.replace(/  plugins:\n(.|\n)*$/, ''));
    expect(text('02-key-auth-enabled')).toBe(PAGE_KEY_AUTH);
    expect(text('03-consumer1')).toBe(PAGE_KEY_AUTH + PAGE_CONSUMER1);
    expect(text('04-consumer2')).toBe(PAGE_KEY_AUTH + PAGE_CONSUMER1 + PAGE_CONSUMER2);
  });

  it('lab 5 gives each consumer its own rate limit, as the page does', () => {
    const value = declaration('05-rate-limits');
    expect(value.consumers?.map((consumer) => [consumer.username, consumer.keyauth_credentials[0].key, consumer.plugins])).toEqual([
      ['consumer1', '123456', [{ name: 'rate-limiting', instance_name: 'rate-limiting1', config: { minute: 5 } }]],
      ['consumer2', '987654', [{ name: 'rate-limiting', instance_name: 'rate-limiting2', config: { minute: 8 } }]],
    ]);
    expect(text('05-rate-limits').startsWith(PAGE_KEY_AUTH)).toBe(true);
  });

  it('the extra labs are lab 3 plus one key-auth setting', () => {
    const expected: Record<string, Record<string, unknown>> = {
      '06-key-in-query-and-body': { key_in_body: true },
      '07-renamed-key': { key_names: ['x-api-key'] },
      '08-hide-credentials': { hide_credentials: true },
    };
    for (const [id, config] of Object.entries(expected)) {
      const value = declaration(id);
      expect(value.services[0].plugins, id).toEqual([{ name: 'key-auth', instance_name: 'key-auth1', config }]);
      expect(value.consumers, id).toEqual(declaration('03-consumer1').consumers);
    }
  });

  it('lab 9 is lab 4 plus a second route behind basic-auth and acl, and credentials for both consumers', () => {
    const value = declaration('09-basic-auth-and-acl');
    const lab4 = declaration('04-consumer2');
    expect(value.services).toHaveLength(2);
    expect(value.services[0]).toEqual(lab4.services[0]);
    expect(value.services[1].routes).toEqual([
      {
        name: 'httpbin-admin-route',
        paths: ['/basic-auth-route'],
        plugins: [
          { name: 'basic-auth', instance_name: 'basic-auth1' },
          { name: 'acl', instance_name: 'acl1', config: { allow: ['httpbin-admins'] } },
        ],
      },
    ]);
    expect(value.consumers?.map((c) => [c.username, c.keyauth_credentials, c.basicauth_credentials?.[0].username, c.acls])).toEqual(
      lab4.consumers?.map((c) => [c.username, c.keyauth_credentials, c.username, [{ group: c.username === 'consumer1' ? 'httpbin-admins' : 'httpbin-users' }]]),
    );
  });

  it('every lab.yaml points editors at the schema', () => {
    for (const lab of labs) {
      expect(readFileSync(join(lab.dir, 'lab.yaml'), 'utf8').split('\n')[0], lab.id).toBe('# yaml-language-server: $schema=../lab.schema.json');
    }
  });

  it('labs/README.md describes every lab', () => {
    const readme = readFileSync(join(DEFAULT_LABS_DIR, 'README.md'), 'utf8');
    for (const lab of labs) expect(readme, lab.id).toContain(lab.id);
  });
});
