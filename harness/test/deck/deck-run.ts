// Runs the kit's deck in-process against an in-process gateway, capturing what decK would print.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { request } from 'undici';
import yaml from 'js-yaml';
import { createAccessLog } from '../../../gateway/src/access-log.js';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway.js';
import { readSettings } from '../../../gateway/src/settings.js';
import { runDeck } from '../../src/deck/cli/run-deck.js';

export interface DeckResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DeckRunOptions {
  /** What stdin holds (a state file given as `-`, or the answer to a prompt). */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
}

export async function deck(argv: string[], options: DeckRunOptions = {}): Promise<DeckResult> {
  let stdout = '';
  let stderr = '';
  let stdin = options.stdin;
  const code = await runDeck(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    async readStdin() {
      const text = stdin ?? '';
      stdin = '';
      return text;
    },
    async readLine() {
      if (stdin === undefined || stdin === '') return null;
      const newline = stdin.indexOf('\n');
      const line = newline === -1 ? stdin : stdin.slice(0, newline);
      stdin = newline === -1 ? '' : stdin.slice(newline + 1);
      return line;
    },
  });
  return { code, stdout, stderr };
}

export async function startDeckGateway(upstreamPort = 9): Promise<{ gateway: RunningGateway; adminUrl: string; proxyUrl: string }> {
  const settings = readSettings({
    KONG_PROXY_LISTEN: '127.0.0.1:0',
    KONG_ADMIN_LISTEN: '127.0.0.1:0',
    KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstreamPort}`,
  });
  const gateway = await startGateway(settings, { accessLog: createAccessLog(false) });
  return { gateway, adminUrl: `http://127.0.0.1:${gateway.admin.port}`, proxyUrl: `http://127.0.0.1:${gateway.proxy.port}` };
}

export async function runningConfig(adminUrl: string): Promise<any> {
  const response = await request(`${adminUrl}/config`);
  return yaml.load(((await response.body.json()) as { config: string }).config);
}

export async function configurationHash(adminUrl: string): Promise<string> {
  const response = await request(`${adminUrl}/status`);
  return ((await response.body.json()) as { configuration_hash: string }).configuration_hash;
}

/** An Admin API that records the requests it gets and answers GET / like Kong; for --headers and --kong-addr. */
export async function recordingAdmin(): Promise<{ url: string; requests: Array<{ method: string; url: string; headers: Record<string, unknown> }>; close(): Promise<void> }> {
  const requests: Array<{ method: string; url: string; headers: Record<string, unknown> }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/' ? { version: '3.9.1' } : { message: 'Not found' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface DeckFixture {
  adminUrl: string;
  proxyUrl: string;
  /** A scratch folder for state files. */
  dir: string;
}

/** One gateway and one scratch folder for a test file (beforeAll/afterAll); read the fields inside tests. */
export function useDeckGateway(): DeckFixture {
  const fixture = {} as DeckFixture;
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    const started = await startDeckGateway();
    gateway = started.gateway;
    Object.assign(fixture, { adminUrl: started.adminUrl, proxyUrl: started.proxyUrl, dir: mkdtempSync(join(tmpdir(), 'deck-test-')) });
  });
  afterAll(async () => {
    await gateway?.close();
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
