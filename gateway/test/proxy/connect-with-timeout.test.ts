import { afterEach, describe, expect, it, vi } from 'vitest';
import { Socket } from 'node:net';
import type { buildConnector } from 'undici';
import { connectorWithTimeout } from '../../src/proxy/connect-with-timeout.js';

/** A connector whose connect never completes, and what it was built with. */
function hangingBuild() {
  const built: buildConnector.BuildOptions[] = [];
  const socket = new Socket();
  const destroy = vi.spyOn(socket, 'destroy');
  const build = ((options: buildConnector.BuildOptions) => {
    built.push(options);
    return () => socket;
  }) as unknown as typeof buildConnector;
  return { build, built, destroy };
}

describe('connectorWithTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns undici’s coarse connect timer off and fails the connect on a Node timer at exactly connect_timeout', () => {
    vi.useFakeTimers();
    const { build, built, destroy } = hangingBuild();
    const connect = connectorWithTimeout({ rejectUnauthorized: false }, 300, build);
    expect(built[0]).toMatchObject({ timeout: 0, rejectUnauthorized: false });
    const callback = vi.fn();
    connect({ hostname: '127.0.0.1', port: '9', protocol: 'http:' }, callback);
    vi.advanceTimersByTime(299);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0][0]).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(destroy).toHaveBeenCalled();
  });
});
