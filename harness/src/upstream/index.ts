// Starts the httpbin the labs proxy to: Debian's real one when it is installed, else our embedded copy.
import { debianHttpbinAvailability, startDebianHttpbin } from './debian-httpbin.js';
import { startEmbeddedHttpbin } from './embedded-httpbin.js';
import { UpstreamStartError, type RunningUpstream, type UpstreamChoice } from './running-upstream.js';

export { debianHttpbinAvailability, startDebianHttpbin, startEmbeddedHttpbin, UpstreamStartError };
export type { RunningUpstream, UpstreamChoice };

/**
 * auto: Debian's httpbin when installed, else the embedded one. Listens on 127.0.0.1 and a free port
 * unless told otherwise. An installed Debian httpbin that fails to start is an error, not a fallback:
 * silently switching servers would change what the labs observe.
 */
export function startUpstream(choice: UpstreamChoice = 'auto', options: { host?: string; port?: number } = {}): Promise<RunningUpstream> {
  switch (choice) {
    case 'debian-httpbin':
      return startDebianHttpbin(options);
    case 'embedded-httpbin':
      return startEmbeddedHttpbin(options);
    case 'auto':
      return debianHttpbinAvailability().available ? startDebianHttpbin(options) : startEmbeddedHttpbin(options);
    default:
      return Promise.reject(
        new UpstreamStartError(`unknown upstream choice ${JSON.stringify(choice)}: use 'auto', 'debian-httpbin' or 'embedded-httpbin'`),
      );
  }
}
