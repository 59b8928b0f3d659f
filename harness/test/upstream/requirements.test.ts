// requireOrSkip: the one rule for tests that need Debian's httpbin.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequiredUpstreamMissing, requireOrSkip } from '../../src/upstream/requirements.js';

const missing = { available: false as const, reason: '/usr/bin/gunicorn not found' };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('requireOrSkip', () => {
  it('runs the tests when the upstream is available', () => {
    expect(requireOrSkip('debian-httpbin', { available: true, gunicorn: '/usr/bin/gunicorn' })).toEqual({ skip: false, reason: '' });
  });

  it('skips with a reason that says how to install it', () => {
    vi.stubEnv('LABKIT_REQUIRE_HTTPBIN', '');
    const gate = requireOrSkip('debian-httpbin', missing);
    expect(gate.skip).toBe(true);
    expect(gate.reason).toContain('Debian httpbin not installed');
    expect(gate.reason).toContain('/usr/bin/gunicorn not found');
    expect(gate.reason).toContain('apt-get install -y python3-httpbin gunicorn python3-gevent');
  });

  it('fails instead of skipping when LABKIT_REQUIRE_HTTPBIN=1', () => {
    vi.stubEnv('LABKIT_REQUIRE_HTTPBIN', '1');
    expect(() => requireOrSkip('debian-httpbin', missing)).toThrow(RequiredUpstreamMissing);
    expect(() => requireOrSkip('debian-httpbin', missing)).toThrow(/LABKIT_REQUIRE_HTTPBIN=1 requires debian-httpbin.*apt-get install/);
    expect(requireOrSkip('debian-httpbin', { available: true, gunicorn: '/usr/bin/gunicorn' }).skip).toBe(false);
  });

  it('only the value 1 makes it required', () => {
    vi.stubEnv('LABKIT_REQUIRE_HTTPBIN', '0');
    expect(requireOrSkip('debian-httpbin', missing).skip).toBe(true);
  });
});
