// Starts the gateway in-process in front of a given upstream, for integration tests.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { readSettings } from '../../src/settings.js';
import { createAccessLog } from '../../src/access-log.js';

const LABS_DIR = fileURLToPath(new URL('../../../labs/', import.meta.url));

/** The workshop declaration of lab N (labs/NN-slug/key-auth.yaml), as the page writes it. */
export function labDeclaration(step: number): string {
  const prefix = String(step).padStart(2, '0');
  const folder = readdirSync(LABS_DIR).find((name) => name.startsWith(`${prefix}-`));
  if (!folder) throw new Error(`no lab folder labs/${prefix}-*`);
  return readFileSync(join(LABS_DIR, folder, 'key-auth.yaml'), 'utf8');
}

/** What decK sends for a declaration: `_konnect` and `_info` are decK's, never Kong's. */
export function asKongConfig(declaration: string): Record<string, unknown> {
  const parsed = yaml.load(declaration) as Record<string, unknown>;
  delete parsed._konnect;
  delete parsed._info;
  return parsed;
}

export async function startTestGateway(upstreamPort: number, env: Record<string, string> = {}): Promise<RunningGateway> {
  const settings = readSettings({
    KONG_PROXY_LISTEN: '127.0.0.1:0',
    KONG_ADMIN_LISTEN: '127.0.0.1:0',
    KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstreamPort}`,
    ...env,
  });
  return startGateway(settings, { accessLog: createAccessLog(false) });
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
