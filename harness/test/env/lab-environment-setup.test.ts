import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup, { type ProvidedLabEnvironment } from '../../../labs/test/support/lab-environment-setup.js';
import { dockerRequirement } from '../../src/env/containers/requirements.js';

const docker = await dockerRequirement();
const saved = { runtime: process.env.LABKIT_RUNTIME };

afterEach(() => {
  if (saved.runtime === undefined) delete process.env.LABKIT_RUNTIME;
  else process.env.LABKIT_RUNTIME = saved.runtime;
});

/** What vitest would hand the tests: the globalSetup's provide() calls, collected. */
async function runSetup(runtime: string) {
  process.env.LABKIT_RUNTIME = runtime;
  const provided: Partial<Record<string, unknown>> = {};
  const project = { provide: (key: string, value: unknown) => (provided[key] = value) } as unknown as TestProject;
  const teardown = await setup(project);
  return { env: provided.labEnvironment as ProvidedLabEnvironment, teardown };
}

async function statusCode(url: string): Promise<number> {
  const response = await request(url);
  await response.body.dump();
  return response.statusCode;
}

describe('the vitest globalSetup', () => {
  it('provides a local environment when LABKIT_RUNTIME=local, and stops it on teardown', async () => {
    const { env, teardown } = await runSetup('local');
    try {
      expect(env).toMatchObject({ runtime: 'local' });
      expect(await statusCode(`${env.adminUrl}/status`)).toBe(200);
    } finally {
      await teardown();
    }
    await expect(statusCode(`${env.adminUrl}/status`)).rejects.toThrow();
  });

  it('refuses a runtime it does not know', async () => {
    await expect(runSetup('kubernetes')).rejects.toThrow(/local, containers or external/);
  });

  it.skipIf(docker.skip)(
    docker.skip ? `provides a container environment — skipped: ${docker.reason}` : 'provides a container environment when LABKIT_RUNTIME=containers, and removes it on teardown',
    async () => {
      const { env, teardown } = await runSetup('containers');
      try {
        expect(env).toMatchObject({ runtime: 'containers', upstream: { kind: 'debian-httpbin' } });
        expect(await statusCode(`${env.adminUrl}/status`)).toBe(200);
        expect(await statusCode(`${env.upstream!.url}/get`)).toBe(200);
      } finally {
        await teardown();
      }
      await expect(statusCode(`${env.adminUrl}/status`)).rejects.toThrow();
    },
    600_000,
  );
});
