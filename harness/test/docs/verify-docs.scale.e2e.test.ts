// A page's Kong data plane with `replicas: 3` scales the run's environment to 3 nodes, so the next page's
// local-policy limit of 2 lets 6 curls through (each curl a connection of its own, round the nodes), in bash
// and on the emulation; without the scale the same page drifts. An environment that cannot scale makes the
// scale page and the rest of its chapter not verifiable, and each chapter starts on the run's node count.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LabEnvironment } from '../../src/env/index.js';
import { startContainerEnvironment, type ContainerLabEnvironment } from '../../src/env/containers/container-environment.js';
import { dockerRequirement } from '../../src/env/containers/requirements.js';
import { environmentResources } from '../env/containers/docker-state.js';
import { folderChapters, verifyDocs, type PageVerdict } from '../../src/docs/index.js';

const E2E_TIMEOUT_MS = 180_000;
// The first container start on a new machine may build the images (debootstrap: minutes).
const FIRST_START_TIMEOUT_MS = 600_000;
const docker = await dockerRequirement();
const CHAPTER = join(import.meta.dirname, 'fixtures', 'scaled-chapter');
const LIMIT_PAGE = join(CHAPTER, '02-local-limit.md');
let env: LabEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment({ upstream: 'embedded-httpbin' });
}, E2E_TIMEOUT_MS);
afterAll(async () => {
  await env?.close();
});

const summary = (verdicts: PageVerdict[]): string[][] =>
  verdicts.map((verdict) => [verdict.file.split('/').pop()!, verdict.status, ...verdict.steps.flatMap((step) => step.drifts.map((drift) => `${drift.line}: ${drift.message}`))]);

describe('replicas: N in a chapter', () => {
  for (const shell of ['bash', 'builtin'] as const) {
    it(`scales the environment, and the next page's local limit lets 3 × 2 through (${shell})`, { timeout: E2E_TIMEOUT_MS }, async () => {
      const verdicts = await verifyDocs(folderChapters(CHAPTER), { environment: env, shell });
      expect(summary(verdicts)).toEqual([
        ['_index.md', 'skipped'],
        ['01-scale-out.md', 'passed'],
        ['02-local-limit.md', 'passed'],
      ]);
      expect(verdicts[1].steps[0].notes).toEqual([
        'scaled from 1 to 3 gateway nodes (replicas: 3): new nodes took the running declaration and joined the balancer',
        "kubectl's output (block L26) is not compared",
      ]);
      expect(verdicts[2].steps[2].status).toBe('verified');
      expect(env.nodes).toHaveLength(3);
    });
  }

  it('the limit page alone, a chapter of its own, starts on one node again and drifts', { timeout: E2E_TIMEOUT_MS }, async () => {
    const [verdict] = await verifyDocs([LIMIT_PAGE], { environment: env, shell: 'builtin' });
    expect(env.nodes).toHaveLength(1);
    expect(verdict.status).toBe('failed');
    expect(verdict.steps[2].drifts[0]).toMatchObject({ line: 40, message: expect.stringMatching(/429/) });
  });

  it('on an environment that cannot scale, the scale page and the rest of the chapter are not verifiable', { timeout: E2E_TIMEOUT_MS }, async () => {
    const fixed = { runtime: 'external' as const, proxyUrl: env.proxyUrl, adminUrl: env.adminUrl, upstream: null, close: async () => {} };
    const verdicts = await verifyDocs(folderChapters(CHAPTER), { environment: fixed as unknown as LabEnvironment, shell: 'builtin' });
    const reason = "not verifiable: it scales the data plane to 3 nodes (replicas: 3), and an external gateway is not the kit's to scale";
    expect(verdicts.map((verdict) => [verdict.status, verdict.skipReason])).toEqual([
      ['skipped', 'no commands to run'],
      ['skipped', reason],
      ['skipped', `${reason} (harness/test/docs/fixtures/scaled-chapter/01-scale-out.md:9)`],
    ]);
    expect(verdicts[1].steps[0].skipped).toBe(reason);
    expect(verdicts[2].steps.every((step) => step.skipped !== undefined && step.drifts.length === 0)).toBe(true);
  });
});

describe.skipIf(docker.skip)(docker.skip ? `replicas: N on the containers runtime — skipped: ${docker.reason}` : 'replicas: N on the containers runtime', () => {
  let containers: ContainerLabEnvironment;
  beforeAll(async () => {
    containers = await startContainerEnvironment();
  }, FIRST_START_TIMEOUT_MS);
  afterAll(async () => {
    await containers?.close();
  });

  it('starts two more gateway containers with the running declaration, behind the balancer, in bash as in the emulation', { timeout: E2E_TIMEOUT_MS }, async () => {
    for (const shell of ['bash', 'builtin'] as const) {
      const verdicts = await verifyDocs(folderChapters(CHAPTER), { environment: containers, shell });
      expect(summary(verdicts)).toEqual([
        ['_index.md', 'skipped'],
        ['01-scale-out.md', 'passed'],
        ['02-local-limit.md', 'passed'],
      ]);
      expect(containers.nodes).toHaveLength(3);
      expect(containers.containers.nodes).toHaveLength(3);
      expect(containers.nodes.map((node) => node.proxyUrl)).not.toContain(containers.proxyUrl);
      // The next run's chapter starts on one node again: the containers added for this one are removed.
      await containers.scale(1);
      expect(containers.nodes).toHaveLength(1);
      expect((await environmentResources(containers.environmentId)).containers).toHaveLength(3);
    }
  });
});
