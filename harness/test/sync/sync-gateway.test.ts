// The sync against the real gateway process (started through the env module).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import { formatSyncReport, resetGateway, SyncError, syncDeclarationFile, syncDeclarationText } from '../../src/sync/index.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

let env: LabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment();
});

afterAll(async () => {
  await env?.close();
});

async function runningConfig(): Promise<any> {
  const response = await request(`${env.adminUrl}/config`);
  return yaml.load(((await response.body.json()) as { config: string }).config);
}

async function configurationHash(): Promise<string> {
  const response = await request(`${env.adminUrl}/status`);
  return ((await response.body.json()) as { configuration_hash: string }).configuration_hash;
}

async function proxyGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await request(`${env.proxyUrl}${path}`, { headers });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? JSON.parse(text) : null };
}

function syncStep(step: number, options: { resetCounters?: boolean } = {}) {
  return syncDeclarationText(WORKSHOP_STEPS[step], 'key-auth.yaml', { adminUrl: env.adminUrl, ...options });
}

function syncErrorOf(promise: Promise<unknown>): Promise<SyncError> {
  return promise.then(
    () => {
      throw new Error('expected the sync to fail');
    },
    (err: unknown) => {
      if (err instanceof SyncError) return err;
      throw err;
    },
  );
}

describe('decK-style sync against the gateway', () => {
  it("applies the workshop page's four declarations in order, with decK's lines", async () => {
    await resetGateway({ adminUrl: env.adminUrl });

    const first = await syncStep(0);
    expect(first.changes.map((change) => change.line)).toEqual([
      'creating service httpbin-service',
      'creating route httpbin-route',
      'creating plugin key-auth for service httpbin-service',
    ]);
    expect(first.counters).toBe('cleared');
    expect(first.configurationHash).toMatch(/^[0-9a-f]{32}$/);
    expect(first.configurationHash).not.toBe('00000000000000000000000000000000');
    expect((await proxyGet('/key-auth-route/get')).body).toMatchObject({ message: 'No API key found in request' });

    const second = await syncStep(1);
    expect(formatSyncReport(second)).toBe(
      'creating consumer consumer1\ncreating key-auth 23456 for consumer consumer1\nSummary:\n  Created: 2\n  Updated: 0\n  Deleted: 0',
    );
    expect((await proxyGet('/key-auth-route/get', { apikey: '123456' })).status).toBe(200);

    const third = await syncStep(2);
    expect(third.changes.map((change) => change.line)).toEqual(['creating consumer consumer2', 'creating key-auth 87654 for consumer consumer2']);

    const fourth = await syncStep(3);
    expect(fourth.changes.map((change) => change.line)).toEqual([
      'creating plugin rate-limiting for consumer consumer1',
      'creating plugin rate-limiting for consumer consumer2',
    ]);
    const limited = await request(`${env.proxyUrl}/key-auth-route/get`, { headers: { apikey: '987654' } });
    expect(limited.headers['x-ratelimit-limit-minute']).toBe('8');
    await limited.body.dump();

    const again = await syncStep(3, { resetCounters: false });
    expect(again.summary).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(formatSyncReport(again)).toBe('Summary:\n  Created: 0\n  Updated: 0\n  Deleted: 0');
    expect(again.counters).toBe('kept');
  });

  it('leaves entities without the select tags alone, and replaces the tagged ones', async () => {
    await resetGateway({ adminUrl: env.adminUrl });
    const others = ['_format_version: "3.0"', 'services:', '- name: other-service', '  host: other.example', '  routes:', '  - name: other-route', '    paths: [/other]', ''].join('\n');
    expect((await syncDeclarationText(others, 'others.yaml', { adminUrl: env.adminUrl })).summary.created).toBe(2);
    const otherIds = (await runningConfig()).services.map((service: any) => service.id);

    const tagged = await syncStep(3);
    expect(tagged.summary).toEqual({ created: 9, updated: 0, deleted: 0 });
    const back = await syncStep(0);
    expect(back.summary).toEqual({ created: 0, updated: 0, deleted: 6 });

    const config = await runningConfig();
    expect(config.services.map((service: any) => service.name).sort()).toEqual(['httpbin-service', 'other-service']);
    expect(config.services.find((service: any) => service.name === 'other-service').id).toBe(otherIds[0]);
    expect(config.routes.map((route: any) => route.name).sort()).toEqual(['httpbin-route', 'other-route']);
    expect(config.consumers ?? []).toEqual([]);
  });

  it('reports a rejected declaration with file positions, and the running configuration stays as it was', async () => {
    await resetGateway({ adminUrl: env.adminUrl });
    await syncStep(1);
    const hash = await configurationHash();
    const configBefore = await runningConfig();

    const broken = WORKSHOP_STEPS[3].replace('minute: 5', 'minute: 5\n      no_such_option: true');
    const error = await syncErrorOf(syncDeclarationText(broken, 'key-auth.yaml', { adminUrl: env.adminUrl }));
    expect(error.message).toContain('the gateway rejected the configuration (HTTP 400');
    // The root cause first, at the field itself.
    const line = broken.split('\n').findIndex((text) => text.includes('no_such_option')) + 1;
    expect(error.message).toMatch(new RegExp(`^key-auth\\.yaml:${line}:7: plugin rate-limiting for consumer consumer1: config\\.no_such_option: unknown field`));
    expect(error).toMatchObject({ code: 'DECLARATION_REJECTED', exitCode: 2, line, column: 7 });

    expect(await configurationHash()).toBe(hash);
    expect(await runningConfig()).toEqual(configBefore);
    expect((await proxyGet('/key-auth-route/get', { apikey: '123456' })).status).toBe(200);
  });

  it("suggests the schema's field for a typo, from the gateway's own schema", async () => {
    const hash = await configurationHash();
    const broken = WORKSHOP_STEPS[3].replace('minute: 5', 'minutes: 5');
    const error = await syncErrorOf(syncDeclarationText(broken, 'key-auth.yaml', { adminUrl: env.adminUrl }));
    expect(error.problem).toMatch(/config\.minutes: unknown field \(did you mean "minute"\?\)/);
    expect(await configurationHash()).toBe(hash);
  });

  it("says what decK would say about the file before asking the gateway", async () => {
    const error = await syncErrorOf(syncDeclarationText('_format_version: "1.1"\n', 'old.yaml', { adminUrl: env.adminUrl }));
    expect(error.message).toBe("old.yaml:1:1: cannot apply '1.1' config format version to Kong version 3.0 or above.\nUpgrade the file (deck file convert --from kong-gateway-2.x --to kong-gateway-3.x) and set _format_version: \"3.0\".");
    const missing = await syncErrorOf(syncDeclarationFile('/nonexistent/key-auth.yaml', { adminUrl: env.adminUrl }));
    expect(missing.message).toBe('/nonexistent/key-auth.yaml: cannot read the declaration: no such file');
    expect(missing).toMatchObject({ code: 'DECLARATION_INVALID', exitCode: 2, location: undefined });
  });

  it('syncs a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'labkit-sync-'));
    try {
      const path = join(dir, 'key-auth.yaml');
      await writeFile(path, WORKSHOP_STEPS[0]);
      await resetGateway({ adminUrl: env.adminUrl });
      expect((await syncDeclarationFile(path, { adminUrl: env.adminUrl })).summary).toEqual({ created: 3, updated: 0, deleted: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("resetGateway deletes everything, decK-style, and clears the counters", async () => {
    await resetGateway({ adminUrl: env.adminUrl });
    await syncStep(3);
    const reset = await resetGateway({ adminUrl: env.adminUrl });
    expect(reset.summary).toEqual({ created: 0, updated: 0, deleted: 9 });
    expect(reset.changes[0].line).toBe('deleting plugin key-auth for service httpbin-service');
    expect(reset.changes.at(-1)!.line).toBe('deleting consumer consumer2');
    expect(reset.counters).toBe('cleared');
    expect((await proxyGet('/key-auth-route/get')).body).toMatchObject({ message: 'no Route matched with those values' });
  });
});
