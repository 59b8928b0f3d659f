// A plugin the gateway cannot run must be refused at load, never skipped: an auth plugin that is
// accepted but not enforced lets every request through.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import type { RunningGateway } from '../../src/gateway.js';
import { pluginSchemas, runnablePluginNames } from '../../src/plugins/registry.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postConfig, startTestGateway } from './gateway-harness.js';

// Plugins Kong bundles that this gateway may not run (yet): each must be refused unless it has a handler.
const KONG_PLUGINS = ['basic-auth', 'acl', 'jwt', 'hmac-auth', 'oauth2', 'ldap-auth', 'ip-restriction', 'cors', 'request-transformer', 'response-transformer', 'proxy-cache', 'tcp-log', 'bot-detection', 'request-termination'];

describe('fail closed on plugins without a handler', () => {
  let upstream: RunningUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    upstream = await startEmbeddedHttpbin();
    gateway = await startTestGateway(upstream.port);
    const base = await postConfig(gateway, {
      _format_version: '3.0',
      services: [{ name: 'svc', url: 'http://httpbin.kong.svc.cluster.local:8000', routes: [{ name: 'open', paths: ['/open'] }] }],
    });
    expect(base.status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  for (const name of KONG_PLUGINS.filter((plugin) => !pluginSchemas.has(plugin))) {
    it(`refuses ${name} paired with key-auth, and keeps the running configuration`, async () => {
      const before = gateway.store.current.hash;
      const refused = await postConfig(gateway, {
        _format_version: '3.0',
        services: [
          {
            name: 'svc',
            url: 'http://httpbin.kong.svc.cluster.local:8000',
            routes: [{ name: 'guarded', paths: ['/guarded'], plugins: [{ name: 'key-auth' }, { name, config: {} }] }],
          },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.fields.services[0].routes[0].plugins[1].name).toBe(
        `plugin '${name}' not enabled; add it to the 'plugins' configuration property`,
      );
      // Kong's fields stay exactly Kong's; our line after Kong's message says what can be declared instead.
      expect(refused.body.message).toMatch(new RegExp(`; this gateway runs only these plugins: ${runnablePluginNames()}$`));
      expect(gateway.store.current.hash).toBe(before);
      const guarded = await request(`http://127.0.0.1:${gateway.proxy.port}/guarded/get`);
      await guarded.body.dump();
      expect(guarded.statusCode).toBe(404);
    });
  }
});

describe('fail closed at start-up', () => {
  it('KONG_DECLARATIVE_CONFIG naming a plugin without a handler stops the start with Kong\'s message and what this gateway runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-fail-closed-'));
    try {
      const file = join(dir, 'kong.yaml');
      writeFileSync(file, '_format_version: "3.0"\nplugins:\n- name: jwt\n');
      const started = startTestGateway(1, { KONG_DECLARATIVE_CONFIG: file });
      await expect(started).rejects.toThrow(
        `KONG_DECLARATIVE_CONFIG=${file} was rejected: plugin 'jwt': name: plugin 'jwt' not enabled; add it to the 'plugins' configuration property; ` +
          `this gateway runs only these plugins: ${runnablePluginNames()}. Fix the file (or unset the variable) and start again.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
