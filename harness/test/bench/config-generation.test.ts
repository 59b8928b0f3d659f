import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ADDED_PLUGINS,
  addedPlugin,
  gatewayDeclaration,
  gatewayRequestHeaders,
  outsiderKey,
  BENCH_KEY_HEADER,
  type GatewayPlugins,
} from '../../src/bench/gateway-config.js';
import { loadDeclarativeConfig } from '../../../gateway/src/declarative/load.js';
import { reverseProxyConfig, staticUpstreamConfig } from '../../src/bench/nginx-config.js';
import { benchPayload } from '../../src/bench/payload.js';
import { findExecutable, pinnedCommand, repinArgs } from '../../src/bench/pinning.js';
import { roundOrder } from '../../src/bench/configurations.js';

describe('nginx configurations', () => {
  const upstream = staticUpstreamConfig({ prefix: '/tmp/p', port: 18080, root: '/tmp/r', file: 'payload.json' });
  const proxy = reverseProxyConfig({ prefix: '/tmp/q', port: 18081, upstreamHost: '127.0.0.1', upstreamPort: 18080 });

  it('run one foreground process on loopback, with everything under the prefix', () => {
    for (const config of [upstream, proxy]) {
      expect(config).toContain('daemon off;');
      expect(config).toContain('master_process off;');
      expect(config).toMatch(/listen 127\.0\.0\.1:1808[01]/);
      expect(config).toContain('access_log off;');
      for (const line of config.split('\n').filter((l) => /(_path|pid|error_log) /.test(l))) expect(line).toMatch(/\/tmp\/[pq]/);
    }
  });

  it('serve the payload file for every path', () => {
    expect(upstream).toContain('root /tmp/r;');
    expect(upstream).toContain('try_files /payload.json =404;');
    expect(upstream).toContain('application/json json;');
  });

  it('proxy with upstream keep-alive', () => {
    expect(proxy).toContain('server 127.0.0.1:18080;');
    expect(proxy).toMatch(/keepalive \d+;/);
    expect(proxy).toContain('proxy_http_version 1.1;');
    expect(proxy).toContain('proxy_set_header Connection "";');
  });

  const nginx = findExecutable('nginx', ['/usr/sbin']);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-nginx-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // nginx -t only parses and checks the files; it serves nothing.
  it.skipIf(nginx === null)('pass `nginx -t` (skipped: Debian nginx is not installed here)', () => {
    for (const [name, make] of [
      ['up', (prefix: string) => staticUpstreamConfig({ prefix, port: 18080, root: scratch, file: 'payload.json' })],
      ['px', (prefix: string) => reverseProxyConfig({ prefix, port: 18081, upstreamHost: '127.0.0.1', upstreamPort: 18080 })],
    ] as const) {
      const prefix = join(scratch, name);
      mkdirSync(prefix);
      writeFileSync(join(prefix, 'nginx.conf'), make(prefix));
      expect(() =>
        execFileSync(nginx!, ['-t', '-q', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: 'pipe' }),
      ).not.toThrow();
    }
  });
});

describe('gateway declaration', () => {
  const base = { upstreamUrl: 'http://127.0.0.1:18080', apiKey: 'test-key' };

  it('has a service and a route and nothing else without plugins', () => {
    const declaration = gatewayDeclaration({ ...base, plugins: 'none' });
    expect(declaration._format_version).toBe('3.0');
    expect(declaration.services).toEqual([{ name: 'bench-service', url: base.upstreamUrl, routes: [{ name: 'bench-route', paths: ['/bench'] }] }]);
    expect(declaration.consumers).toBeUndefined();
    expect(gatewayRequestHeaders('none', 'test-key')).toEqual({});
  });

  it('puts key-auth on the route and one consumer with the key', () => {
    const declaration = gatewayDeclaration({ ...base, plugins: 'key-auth' }) as {
      services: { routes: { plugins: { name: string; config: { key_names: string[] } }[] }[] }[];
      consumers: { username: string; keyauth_credentials: { key: string }[]; plugins?: unknown }[];
    };
    expect(declaration.services[0].routes[0].plugins).toEqual([
      { name: 'key-auth', instance_name: 'bench-key-auth', config: { key_names: [BENCH_KEY_HEADER] } },
    ]);
    expect(declaration.consumers).toEqual([{ username: 'bench-consumer', keyauth_credentials: [{ key: 'test-key' }] }]);
    expect(gatewayRequestHeaders('key-auth', 'test-key')).toEqual({ [BENCH_KEY_HEADER]: 'test-key' });
  });

  it('puts rate-limiting on the consumer, like the workshop, with a limit never reached', () => {
    const declaration = gatewayDeclaration({ ...base, plugins: 'key-auth+rate-limiting' }) as {
      consumers: { plugins: { name: string; config: { minute: number; policy: string } }[] }[];
    };
    const [plugin] = declaration.consumers[0].plugins;
    expect(plugin.name).toBe('rate-limiting');
    expect(plugin.config.policy).toBe('local');
    // 2 cores cannot send a billion requests in a minute.
    expect(plugin.config.minute).toBeGreaterThanOrEqual(1e9);
  });
});

describe('declarations of the added plugins, the redis policy', () => {
  const base = { upstreamUrl: 'http://127.0.0.1:18080', apiKey: 'test-key', redis: { host: '127.0.0.1', port: 16379 }, tcpLogSink: { host: '127.0.0.1', port: 19999 } };
  type Declaration = {
    services: { routes: { plugins: { name: string; config: Record<string, unknown> }[] }[] }[];
    consumers: { username: string; keyauth_credentials: { key: string }[]; basicauth_credentials?: { username: string; password: string }[]; acls?: { group: string }[]; plugins?: { name: string; config: Record<string, unknown> }[] }[];
  };
  const declaration = (plugins: GatewayPlugins) => gatewayDeclaration({ ...base, plugins }) as Declaration;
  const every: GatewayPlugins[] = ['none', 'key-auth', 'key-auth+rate-limiting', 'key-auth+rate-limiting-redis', ...ADDED_PLUGINS.map((p) => `key-auth+rate-limiting+${p}` as const)];

  it('are each accepted by the gateway as they are', () => {
    for (const plugins of every) {
      const loaded = loadDeclarativeConfig(gatewayDeclaration({ ...base, plugins }));
      expect(loaded.ok ? 'ok' : `${plugins}: ${JSON.stringify(loaded.error)}`).toBe('ok');
    }
  });

  it('put each added plugin on the route next to key-auth, with rate-limiting still on the consumer', () => {
    for (const plugin of ADDED_PLUGINS) {
      const plugins = `key-auth+rate-limiting+${plugin}` as const;
      expect(addedPlugin(plugins)).toBe(plugin);
      const d = declaration(plugins);
      expect(d.services[0].routes[0].plugins.map((p) => p.name)).toEqual(['key-auth', plugin]);
      expect(d.consumers[0].plugins?.map((p) => p.name)).toEqual(['rate-limiting']);
    }
    expect(addedPlugin('key-auth+rate-limiting')).toBeNull();
    expect(addedPlugin('key-auth+rate-limiting-redis')).toBeNull();
  });

  it('give basic-auth a credential the load sends beside the key (both required: no anonymous)', () => {
    const d = declaration('key-auth+rate-limiting+basic-auth');
    const [credential] = d.consumers[0].basicauth_credentials!;
    const headers = gatewayRequestHeaders('key-auth+rate-limiting+basic-auth', 'test-key');
    expect(headers[BENCH_KEY_HEADER]).toBe('test-key');
    expect(Buffer.from(headers.authorization.replace(/^Basic /, ''), 'base64').toString()).toBe(`${credential.username}:${credential.password}`);
    expect(d.services[0].routes[0].plugins.every((p) => p.config.anonymous === undefined)).toBe(true);
  });

  it('allow the consumer through acl and keep an outsider with a key out', () => {
    const d = declaration('key-auth+rate-limiting+acl');
    const allow = d.services[0].routes[0].plugins[1].config.allow as string[];
    expect(d.consumers[0].acls?.map((a) => a.group)).toEqual(allow);
    const outsider = d.consumers.find((c) => c.keyauth_credentials[0].key === outsiderKey('test-key'))!;
    expect(outsider.acls?.some((a) => allow.includes(a.group))).toBe(false);
  });

  it('cache the upstream JSON long enough that every request after the first is a hit', () => {
    const config = declaration('key-auth+rate-limiting+proxy-cache').services[0].routes[0].plugins[1].config;
    expect(config).toMatchObject({ strategy: 'memory', content_type: ['application/json'] });
    expect(config.cache_ttl).toBeGreaterThanOrEqual(3600);
  });

  it('send tcp-log lines to the sink and count in the Redis given, failing loudly when it is gone', () => {
    expect(declaration('key-auth+rate-limiting+tcp-log').services[0].routes[0].plugins[1].config).toEqual({ host: '127.0.0.1', port: 19999 });
    expect(declaration('key-auth+rate-limiting-redis').consumers[0].plugins![0].config).toMatchObject({
      policy: 'redis',
      fault_tolerant: false,
      redis: { host: '127.0.0.1', port: 16379 },
    });
    expect(declaration('key-auth+rate-limiting').consumers[0].plugins![0].config.policy).toBe('local');
    expect(() => gatewayDeclaration({ upstreamUrl: base.upstreamUrl, apiKey: 'k', plugins: 'key-auth+rate-limiting-redis' })).toThrow(/Redis address/);
    expect(() => gatewayDeclaration({ upstreamUrl: base.upstreamUrl, apiKey: 'k', plugins: 'key-auth+rate-limiting+tcp-log' })).toThrow(/sink address/);
  });
});

describe('payload', () => {
  it('is a JSON document of about 500 bytes', () => {
    const payload = benchPayload();
    expect(Buffer.byteLength(payload)).toBe(500);
    expect(() => JSON.parse(payload)).not.toThrow();
  });
});

describe('CPU pinning', () => {
  const pinning = { taskset: '/usr/bin/taskset', cpus: 2 };

  it('wraps the command in taskset for a CPU that exists', () => {
    expect(pinnedCommand(pinning, 1, 'wrk', ['-t1'])).toEqual(['/usr/bin/taskset', ['-c', '1', 'wrk', '-t1']]);
  });

  it('runs it unpinned without taskset, without a CPU, or past the last CPU', () => {
    expect(pinnedCommand({ taskset: null, cpus: 2 }, 1, 'wrk', ['-t1'])).toEqual(['wrk', ['-t1']]);
    expect(pinnedCommand(pinning, null, 'wrk', [])).toEqual(['wrk', []]);
    expect(pinnedCommand({ taskset: '/usr/bin/taskset', cpus: 1 }, 1, 'wrk', [])).toEqual(['wrk', []]);
  });

  it('raises the priority of the whole command with nice when asked', () => {
    expect(pinnedCommand({ ...pinning, nice: '/usr/bin/nice' }, 0, 'nginx', ['-p', 'x'])).toEqual([
      '/usr/bin/nice',
      ['-n', '-10', '/usr/bin/taskset', '-c', '0', 'nginx', '-p', 'x'],
    ]);
  });

  it('moves every thread of a running process', () => {
    expect(repinArgs(42, '0')).toEqual(['-a', '-p', '-c', '0', '42']);
  });

  it('finds executables on PATH only when they are there', () => {
    expect(findExecutable('node', [process.execPath.replace(/\/node$/, '')])).not.toBeNull();
    expect(findExecutable('no-such-program-labkit')).toBeNull();
  });
});

describe('round order', () => {
  it('alternates forwards and backwards', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['c', 'b', 'a']);
    expect(roundOrder(['a', 'b', 'c'], 2)).toEqual(['a', 'b', 'c']);
  });
});
