// One rule for tests that need Docker: skip with a visible reason when it does not answer, unless
// LABKIT_REQUIRE_DOCKER=1 says the run must have it (CI), in which case fail loudly.

import { describeProbe, DEFAULT_PROBE_TIMEOUT_MS, probeDocker } from './docker-endpoint.js';

export const REQUIRE_DOCKER_ENV = 'LABKIT_REQUIRE_DOCKER';

/** Thrown when LABKIT_REQUIRE_DOCKER=1 and Docker does not answer. */
export class RequiredDockerMissing extends Error {
  override name = 'RequiredDockerMissing';
}

/**
 * `{ skip: false }` when Docker answers; `{ skip: true, reason }` when it does not; throws
 * RequiredDockerMissing instead of skipping when LABKIT_REQUIRE_DOCKER=1. Put the reason in the
 * describe name so the skip is visible.
 */
export async function dockerRequirement(): Promise<{ skip: boolean; reason: string }> {
  const probe = await probeDocker();
  if (probe.ok) return { skip: false, reason: '' };
  const reason = describeProbe(probe, DEFAULT_PROBE_TIMEOUT_MS);
  if (process.env[REQUIRE_DOCKER_ENV] === '1') {
    throw new RequiredDockerMissing(`${REQUIRE_DOCKER_ENV}=1 requires Docker, but ${reason}. Start dockerd, or unset ${REQUIRE_DOCKER_ENV}.`);
  }
  return { skip: true, reason };
}
