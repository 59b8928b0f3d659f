// The gateway as a process: `npm run gateway`'s entry point, its start line, access log and drain on SIGTERM.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import { GATEWAY_MAIN, startGatewayProcess, type StartedProcess } from './gateway-process.js';

const SECRET_KEY = 'sup3r-s3cret-key-value';

describe('the gateway process', () => {
  let upstream: RunningUpstream;
  let gateway: StartedProcess;

  beforeAll(async () => {
    upstream = await startEmbeddedHttpbin();
    const dir = mkdtempSync(join(tmpdir(), 'labkit-gateway-'));
    const declaration = join(dir, 'kong.yaml');
    writeFileSync(
      declaration,
      [
        '_format_version: "3.0"',
        'services:',
        '- name: httpbin-service',
        '  host: httpbin.kong.svc.cluster.local',
        '  port: 8000',
        '  routes:',
        '  - name: httpbin-route',
        '    paths: [/key-auth-route]',
        '  plugins:',
        '  - name: key-auth',
        'consumers:',
        '- username: consumer1',
        '  keyauth_credentials:',
        `  - key: ${SECRET_KEY}`,
        '',
      ].join('\n'),
    );
    gateway = await startGatewayProcess({
      KONG_DECLARATIVE_CONFIG: declaration,
      KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstream.port}`,
    });
  });

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await upstream?.close();
  });

  it('loads KONG_DECLARATIVE_CONFIG at start and serves it', async () => {
    const status = await request(`${gateway.admin}/status`);
    expect(JSON.parse(await status.body.text()).configuration_hash).toMatch(/^[0-9a-f]{32}$/);
    const response = await request(`${gateway.proxy}/key-auth-route/get?apikey=${SECRET_KEY}`);
    expect(response.statusCode).toBe(200);
    await response.body.text();
  });

  it('writes one JSON access-log line per request, without keys', async () => {
    const before = gateway.stdoutLines.length;
    const response = await request(`${gateway.proxy}/key-auth-route/anything?apikey=${SECRET_KEY}`, { headers: { apikey: SECRET_KEY } });
    await response.body.text();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const written = gateway.stdoutLines.slice(before).map((line) => JSON.parse(line));
    const access = written.filter((entry) => entry.event === 'access' && entry.path === '/key-auth-route/anything');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ method: 'GET', path: '/key-auth-route/anything', status: 200, consumer: 'consumer1' });
    expect(gateway.stdoutLines.join('\n')).not.toContain(SECRET_KEY);
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const inFlight = request(`${gateway.proxy}/key-auth-route/delay/1`, { headers: { apikey: SECRET_KEY } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    gateway.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.statusCode).toBe(200);
    await response.body.text();
    const result = await gateway.child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).not.toContain(SECRET_KEY);
  });
});

describe('gateway start errors', () => {
  it('refuses a bad listen address with a message naming the variable', async () => {
    const result = await execa(process.execPath, ['--import', 'tsx', GATEWAY_MAIN], {
      env: { KONG_PROXY_LISTEN: 'nonsense', KONG_ADMIN_LISTEN: '127.0.0.1:0' },
      reject: false,
    });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(String(result.stderr))).toEqual({
      event: 'fatal',
      message: 'KONG_PROXY_LISTEN="nonsense" is invalid: expected host:port (for example 127.0.0.1:8001)',
    });
  });

  it('refuses a declarative file it cannot load, naming the file, the entity and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-gateway-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, '_format_version: "3.0"\nservices:\n- name: a\n  host: h\n  port: 99999\n');
    const result = await execa(process.execPath, ['--import', 'tsx', GATEWAY_MAIN], {
      env: { KONG_DECLARATIVE_CONFIG: file, KONG_PROXY_LISTEN: '127.0.0.1:0', KONG_ADMIN_LISTEN: '127.0.0.1:0' },
      reject: false,
    });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(String(result.stderr)).message).toBe(
      `KONG_DECLARATIVE_CONFIG=${file} was rejected: service 'a': port: value should be between 0 and 65535. Fix the file (or unset the variable) and start again.`,
    );
  });
});
