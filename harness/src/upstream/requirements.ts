// One rule for tests that need a real upstream: skip with a visible reason when it is missing,
// unless LABKIT_REQUIRE_HTTPBIN=1 says the run must have it (CI), in which case fail loudly.
import { DEBIAN_HTTPBIN_INSTALL_HINT, type DebianHttpbinAvailability } from './debian-httpbin.js';

export const REQUIRE_HTTPBIN_ENV = 'LABKIT_REQUIRE_HTTPBIN';

/** Thrown when LABKIT_REQUIRE_HTTPBIN=1 and the required upstream is missing. */
export class RequiredUpstreamMissing extends Error {
  override name = 'RequiredUpstreamMissing';
}

/**
 * `{ skip: false }` when the upstream is available; `{ skip: true, reason }` when it is not;
 * throws RequiredUpstreamMissing instead of skipping when LABKIT_REQUIRE_HTTPBIN=1.
 * Use the reason in the describe name or a console note so the skip is visible.
 */
export function requireOrSkip(kind: 'debian-httpbin', availability: DebianHttpbinAvailability): { skip: boolean; reason: string } {
  if (availability.available) return { skip: false, reason: '' };
  const reason = `Debian httpbin not installed (${availability.reason}): ${DEBIAN_HTTPBIN_INSTALL_HINT}`;
  if (process.env[REQUIRE_HTTPBIN_ENV] === '1') {
    throw new RequiredUpstreamMissing(`${REQUIRE_HTTPBIN_ENV}=1 requires ${kind}, but it is missing. ${reason}, or unset ${REQUIRE_HTTPBIN_ENV}.`);
  }
  return { skip: true, reason };
}
