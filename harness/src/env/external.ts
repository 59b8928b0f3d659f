// An external environment: a gateway someone else runs (a real Kong, a container). We only check
// that its Admin API answers; there is nothing to close.

import { AdminApi, AdminApiError, HttpRequestError, PROBE_TIMEOUT_MS } from '../http/index.js';
import { EnvironmentConnectError } from './errors.js';
import type { ExternalEnvironmentOptions, LabEnvironment } from './types.js';
import { KONG_ADMIN_PORT } from '../constants.js';

function normalizeUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvironmentConnectError(value, `${name} is not a URL`, 'Give it as http://host:port.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnvironmentConnectError(value, `${name} must be http:// or https://`, 'Give it as http://host:port.');
  }
  return url.toString().replace(/\/+$/, '');
}

export async function connectExternalEnvironment(options: ExternalEnvironmentOptions): Promise<LabEnvironment> {
  const proxyUrl = normalizeUrl('the proxy URL', options.proxyUrl);
  const adminUrl = normalizeUrl('the Admin API URL', options.adminUrl);
  const hint = `Check that the gateway runs and that the Admin API URL (usually port ${KONG_ADMIN_PORT}) is right.`;

  const admin = new AdminApi(adminUrl, { timeouts: { totalMs: PROBE_TIMEOUT_MS } });
  for (const [path, ask] of [['/status', () => admin.status()], ['/', () => admin.version()]] as const) {
    try {
      await ask();
    } catch (error) {
      if (error instanceof HttpRequestError) throw new EnvironmentConnectError(`${adminUrl}${path}`, `GET failed: ${error.reason}`, hint);
      if (error instanceof AdminApiError) throw new EnvironmentConnectError(`${adminUrl}${path}`, error.message, hint);
      throw error;
    }
  }

  return {
    runtime: 'external',
    proxyUrl,
    adminUrl,
    upstream: null,
    async close() {
      // Someone else runs this gateway: nothing of ours to stop.
    },
  };
}
