// The registry is the only list of plugins: every plugin folder is in it with both halves, and
// everything that lists plugins (entity subschemas, GET /, handlers) lists exactly the same set.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalCounterStore } from '../../src/plugins/rate-limiting/counters.js';
import { PLUGINS, availablePlugins, createPluginHandlers, pluginEntity, pluginSchemas } from '../../src/plugins/registry.js';
import { BUNDLED_VERSION } from '../../src/plugins/types.js';
import type { Plugin, RateLimitingConfig } from '../../src/plugins/types.js';
import { fakeContext, plugin, pluginDependencies, rateLimitingConfig } from './fake-context.js';

const PLUGINS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../src/plugins');
const folders = readdirSync(PLUGINS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('plugin folders (Kong layout)', () => {
  it.each(folders)('%s has a schema.ts and a handler.ts', (folder) => {
    expect(existsSync(join(PLUGINS_DIR, folder, 'schema.ts'))).toBe(true);
    expect(existsSync(join(PLUGINS_DIR, folder, 'handler.ts'))).toBe(true);
  });

  it('every folder is registered, under its own name, and nothing else is', () => {
    expect(PLUGINS.map((p) => p.schema.name).sort()).toEqual(folders);
    for (const { schema, handler } of PLUGINS) expect(handler.name).toBe(schema.name);
  });

  it.each(folders)("%s's handler.ts exports PRIORITY and VERSION, and its handler runs at that priority", async (folder) => {
    const module = (await import(`../../src/plugins/${folder}/handler.ts`)) as { PRIORITY: number; VERSION: unknown };
    const registered = PLUGINS.find((p) => p.schema.name === folder)!;
    expect(registered.handler.PRIORITY).toBe(module.PRIORITY);
    expect(registered.handler.VERSION).toBe(module.VERSION);
    expect(registered.handler.create(pluginDependencies()).priority).toBe(module.PRIORITY);
  });

  it('keeps the entities in the plugins that own them', async () => {
    const daos = async (folder: string) => Object.values(await import(`../../src/plugins/${folder}/daos.ts`)).map((s: any) => s.name);
    expect(await daos('key-auth')).toEqual(['keyauth_credentials']);
    expect(await daos('basic-auth')).toEqual(['basicauth_credentials']);
    expect(await daos('acl')).toEqual(['acls']);
  });
});

describe('one registry, one set of plugins', () => {
  it("a plugin has a schema exactly when it has a handler, and GET / lists the same ones with Kong's priorities", () => {
    const withSchema = [...pluginSchemas.keys()].sort();
    const withHandler = [...createPluginHandlers(pluginDependencies()).keys()].sort();
    expect(withHandler).toEqual(withSchema);
    expect([...pluginEntity.subschemas!.keys()].sort()).toEqual(withSchema);
    expect(availablePlugins().map((p) => p.name).sort()).toEqual(withSchema);
    expect(Object.fromEntries(availablePlugins().map((p) => [p.name, p.priority]))).toEqual({
      'key-auth': 1250,
      'basic-auth': 1100,
      acl: 950,
      'rate-limiting': 910,
      'request-transformer': 801,
      'response-transformer': 800,
      'proxy-cache': 100,
      'tcp-log': 7,
    });
    // Bundled plugins report the node's version, as Kong's kong_meta.version.
    expect(PLUGINS.every((p) => p.handler.VERSION === BUNDLED_VERSION)).toBe(true);
    expect(availablePlugins().every((p) => p.version === null)).toBe(true);
  });
});

describe('plugin state belongs to one gateway', () => {
  it('two sets of handlers count in their own stores', () => {
    const storeA = new LocalCounterStore();
    const storeB = new LocalCounterStore();
    const limiterA = createPluginHandlers(pluginDependencies({ counters: storeA })).get('rate-limiting')!;
    const limiterB = createPluginHandlers(pluginDependencies({ counters: storeB })).get('rate-limiting')!;
    const config = rateLimitingConfig({ minute: 1 });
    const instance = plugin('rate-limiting', config) as Plugin<RateLimitingConfig>;
    const startedAt = Date.UTC(2025, 2, 1, 10, 10, 30);

    expect(limiterA.access!(fakeContext({ startedAt }), config, instance)).toBeUndefined();
    expect((limiterA.access!(fakeContext({ startedAt }), config, instance) as { status: number }).status).toBe(429);
    expect(storeA.size()).toBe(1);
    expect(storeB.size()).toBe(0);
    // The same client on the other gateway still has its whole minute.
    expect(limiterB.access!(fakeContext({ startedAt }), config, instance)).toBeUndefined();
    expect(storeB.size()).toBe(1);
  });
});
