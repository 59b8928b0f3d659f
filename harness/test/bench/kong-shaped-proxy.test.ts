// The kong-shaped proxy is only a fair baseline if it puts the gateway's headers on the wire: the
// same names in the same order, towards the upstream and back to the client. This runs both in
// front of one echo upstream, with the bench's key-auth + rate-limiting declaration, and compares.

import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway.js';
import { readSettings } from '../../../gateway/src/settings.js';
import { createAccessLog } from '../../../gateway/src/access-log.js';
import { BENCH_ROUTE_PATH, gatewayDeclaration, gatewayRequestHeaders } from '../../src/bench/gateway-config.js';
import { PROCESSES_DIR, REPO_ROOT } from '../../src/bench/paths.js';
import { freePort } from '../../src/bench/ports.js';
import { waitForHttp } from '../../src/http/index.js';

const API_KEY = 'kong-shaped-proxy-test-key';
const PLUGINS = 'key-auth+rate-limiting';
const ECHO_BODY = JSON.stringify({ ok: true, from: 'echo-upstream' });

interface RawResponse {
  status: number;
  rawHeaders: string[];
  body: string;
}

/** The names of a raw header list, in wire order and spelling. */
function names(rawHeaders: readonly string[]): string[] {
  return rawHeaders.filter((_, i) => i % 2 === 0);
}

function valueOf(rawHeaders: readonly string[], name: string): string | undefined {
  const i = names(rawHeaders).findIndex((n) => n.toLowerCase() === name);
  return i < 0 ? undefined : rawHeaders[i * 2 + 1];
}

/** One GET that keeps the response's raw header list (undici's `request` only gives a merged object). */
async function rawGet(origin: string, path: string, headers: Record<string, string>): Promise<RawResponse> {
  const client = new Client(origin);
  try {
    return await new Promise<RawResponse>((resolve, reject) => {
      let status = 0;
      let rawHeaders: string[] = [];
      const chunks: Buffer[] = [];
      client.dispatch(
        { method: 'GET', path, headers },
        {
          onConnect() {},
          onHeaders(statusCode: number, raw: Buffer[]) {
            status = statusCode;
            rawHeaders = raw.map((b) => b.toString('latin1'));
            return true;
          },
          onData(chunk: Buffer) {
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            resolve({ status, rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
          },
          onError: reject,
        },
      );
    });
  } finally {
    await client.close();
  }
}

describe('kong-shaped proxy', () => {
  /** rawHeaders of each request the echo upstream received, in arrival order. */
  const received: string[][] = [];
  let upstream: Server;
  let upstreamUrl = '';
  let gateway: RunningGateway | null = null;
  let proxy: ResultPromise | null = null;
  let proxyPort = 0;
  let proxyStderr = '';

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      received.push([...req.rawHeaders]);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(ECHO_BODY)),
          ETag: '"echo-1"',
        });
        res.end(ECHO_BODY);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

    // In-process, as the gateway's own integration tests start it; the bench runs the same code as a child.
    gateway = await startGateway(
      readSettings({ KONG_PROXY_LISTEN: '127.0.0.1:0', KONG_ADMIN_LISTEN: '127.0.0.1:0', KONG_PROXY_ACCESS_LOG: 'off' }),
      { accessLog: createAccessLog(false) },
    );
    const configured = await postConfig(gateway.admin.port, gatewayDeclaration({ upstreamUrl, plugins: PLUGINS, apiKey: API_KEY }));
    expect(configured, 'POST /config with the bench declaration').toBe(201);

    proxyPort = await freePort();
    proxy = execa(process.execPath, ['--import', 'tsx', join(PROCESSES_DIR, 'kong-shaped-proxy.ts')], {
      cwd: REPO_ROOT,
      env: { BENCH_PORT: String(proxyPort), BENCH_UPSTREAM: upstreamUrl },
      extendEnv: true,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      forceKillAfterDelay: 5_000,
    });
    proxy.stderr?.on('data', (chunk: Buffer) => (proxyStderr += chunk.toString()));
    let exited = false;
    void proxy.then(() => (exited = true));
    const up = await waitForHttp(`http://127.0.0.1:${proxyPort}/`, { timeoutMs: 30_000, ready: () => true, gaveUp: () => (exited ? 'it exited' : undefined) }).then(
      () => true,
      (error: Error) => error.message,
    );
    expect(up, `kong-shaped proxy did not answer on port ${proxyPort}; stderr: ${proxyStderr}`).toBe(true);
    // waitForHttp's probe reached the upstream too: only the requests below are compared.
    received.length = 0;
  }, 60_000);

  afterAll(async () => {
    if (proxy !== null && proxy.exitCode === null) {
      proxy.kill('SIGTERM');
      await proxy;
    }
    await gateway?.close();
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
  }, 60_000);

  it('writes the gateway header names, in order, upstream and back to the client', async () => {
    const path = `${BENCH_ROUTE_PATH}/json`;
    const headers = gatewayRequestHeaders(PLUGINS, API_KEY);

    const viaGateway = await rawGet(`http://127.0.0.1:${gateway!.proxy.port}`, path, headers);
    expect(received).toHaveLength(1);
    const gatewayUpstreamRequest = received[0];

    const viaProxy = await rawGet(`http://127.0.0.1:${proxyPort}`, path, headers);
    expect(received).toHaveLength(2);
    const proxyUpstreamRequest = received[1];

    expect(viaGateway.status, viaGateway.body).toBe(200);
    expect(viaProxy.status, viaProxy.body).toBe(200);
    expect(viaGateway.body).toBe(ECHO_BODY);
    expect(viaProxy.body).toBe(ECHO_BODY);
    expect(valueOf(viaGateway.rawHeaders, 'ratelimit-limit')).toBeDefined();
    expect(valueOf(viaGateway.rawHeaders, 'x-kong-request-id')).toBeDefined();

    // toEqual on the whole lists, so a mismatch shows both in the diff.
    expect(names(proxyUpstreamRequest)).toEqual(names(gatewayUpstreamRequest));
    expect(names(viaProxy.rawHeaders)).toEqual(names(viaGateway.rawHeaders));
  });
});

async function postConfig(adminPort: number, declaration: Record<string, unknown>): Promise<number> {
  const response = await request(`http://127.0.0.1:${adminPort}/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(declaration),
  });
  await response.body.dump();
  return response.statusCode;
}
