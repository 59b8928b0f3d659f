// Starts the gateway in-process in front of a given upstream, for integration tests.

import yaml from 'js-yaml';
import { request } from 'undici';
import { startGateway, type RunningGateway, type StartOptions } from '../../src/gateway.js';
import { readSettings } from '../../src/settings.js';
import { createAccessLog } from '../../src/access-log.js';

export { labDeclaration } from '../../../labs/declarations.js';

/** What decK sends for a declaration: `_konnect` and `_info` are decK's, never Kong's. */
export function asKongConfig(declaration: string): Record<string, unknown> {
  const parsed = yaml.load(declaration) as Record<string, unknown>;
  delete parsed._konnect;
  delete parsed._info;
  return parsed;
}

export async function startTestGateway(
  upstreamPort: number,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningGateway> {
  const settings = readSettings({
    KONG_PROXY_LISTEN: '127.0.0.1:0',
    KONG_ADMIN_LISTEN: '127.0.0.1:0',
    KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstreamPort}`,
    ...env,
  });
  return startGateway(settings, { accessLog: createAccessLog(false), ...options });
}

export async function postConfig(gateway: RunningGateway, config: unknown, query = ''): Promise<{ status: number; body: any }> {
  const response = await request(`http://127.0.0.1:${gateway.admin.port}/config${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? JSON.parse(text) : null };
}
