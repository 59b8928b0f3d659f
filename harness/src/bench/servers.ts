// The servers under test: the fixed upstream, nginx as a reverse proxy, the minimal undici proxy
// and our gateway, each a child process on a free loopback port, pinned to the server core.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { httpTcpLogReader } from '../sink/tcp-log-sink.js';
import { startChild, type BenchChild } from './child-processes.js';
import type { TcpLogSinkUnderBench } from './backing-services.js';
import { BenchSetupError } from './errors.js';
import {
  addedPlugin,
  gatewayDeclaration,
  gatewayRequestHeaders,
  outsiderKey,
  BENCH_KEY_HEADER,
  BENCH_RESPONSE_HEADER,
  BENCH_ROUTE_PATH,
  type GatewayPlugins,
  type LoopbackAddress,
} from './gateway-config.js';
import { reverseProxyConfig, staticUpstreamConfig } from './nginx-config.js';
import { benchPayload } from './payload.js';
import { SERVER_CPU, type Pinning } from './pinning.js';
import { PROCESSES_DIR, REPO_ROOT } from './paths.js';
import { freePort } from './ports.js';
import { HttpWaitError, waitForHttp } from '../http/index.js';
import { bundleForProfile } from './profile-bundle.js';

const GATEWAY_MAIN = join(REPO_ROOT, 'gateway/src/main.ts');
export const READY_TIMEOUT_MS = 20_000;
/** Path every load run requests (the upstream answers the same bytes on any path). */
export const LOAD_PATH = '/json';

export interface ServerContext {
  pinning: Pinning;
  /** Scratch directory of this run (nginx prefixes, payload, wrk script). */
  tempDir: string;
  /** nginx binary, or null to use the embedded upstream and skip the nginx proxy. */
  nginx: string | null;
  /** When set, the gateways and the minimal proxy write V8 CPU profiles there on exit. */
  profileDir: string | null;
}

export interface ServerUnderTest {
  /** URL the load generator requests. */
  url: string;
  headers: Record<string, string>;
  children: BenchChild[];
}

export interface BenchUpstream extends ServerUnderTest {
  kind: 'nginx' | 'embedded';
  host: string;
  port: number;
  /** The upstream process: pinned to the server core for the direct runs, beside the load otherwise. */
  child: BenchChild;
}

/** One directory per process: Node writes one profile per thread (tsx's loader thread too). */
function profileArgs(ctx: ServerContext, name: string): string[] {
  return ctx.profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(ctx.profileDir, name)}`];
}

/** The .ts script itself (run with tsx), or when profiling a bundle of it (run by plain node; see profile-bundle.ts). */
async function runnableScript(ctx: ServerContext, script: string, bundleName: string): Promise<string> {
  if (ctx.profileDir === null) return script;
  const bundleDir = join(ctx.tempDir, 'bundles');
  mkdirSync(bundleDir, { recursive: true });
  return bundleForProfile(script, bundleDir, bundleName);
}

/** A Node script of the bench (tsx unless a bundle), pinned; by default on the server core with stdout to /dev/null. */
export function nodeChild(
  ctx: ServerContext,
  name: string,
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  placement: { cpu: number; stdout: 'ignore' | 'collect' } = { cpu: SERVER_CPU, stdout: 'ignore' },
): BenchChild {
  return startChild({
    name,
    command: process.execPath,
    args: [...nodeArgs, ...(script.endsWith('.mjs') ? [script] : ['--import', 'tsx', script])],
    cpu: placement.cpu,
    pinning: ctx.pinning,
    env,
    cwd: REPO_ROOT,
    stdout: placement.stdout,
  });
}

/** Whether the child's server answers `url` (any status) before READY_TIMEOUT_MS, or it exits. */
async function answers(child: BenchChild, url: string, what: string): Promise<boolean> {
  const gaveUp = (): string | undefined => (child.isRunning() ? undefined : 'it exited');
  return waitForHttp(url, { target: what, timeoutMs: READY_TIMEOUT_MS, attemptTimeoutMs: 1_000, gaveUp, ready: () => true }).then(
    () => true,
    (error: unknown) => (error instanceof HttpWaitError ? false : Promise.reject(error)),
  );
}

async function ready(child: BenchChild, url: string, what: string): Promise<void> {
  if (await answers(child, url, what)) return;
  await child.stop();
  throw new BenchSetupError(`${what} did not answer at ${url} within ${READY_TIMEOUT_MS / 1000} s`, child.stderrTail());
}

function startNginx(ctx: ServerContext, name: string, config: (prefix: string) => string): BenchChild {
  const prefix = join(ctx.tempDir, name);
  mkdirSync(prefix, { recursive: true });
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, config(prefix));
  return startChild({
    name,
    command: ctx.nginx!,
    args: ['-p', prefix, '-c', confPath, '-e', join(prefix, 'error.log')],
    cpu: SERVER_CPU,
    pinning: ctx.pinning,
    stdout: 'ignore',
  });
}

export async function startBenchUpstream(ctx: ServerContext): Promise<BenchUpstream> {
  const root = join(ctx.tempDir, 'payload');
  mkdirSync(root, { recursive: true });
  const payloadFile = join(root, 'payload.json');
  writeFileSync(payloadFile, benchPayload());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: BenchChild;
  let kind: BenchUpstream['kind'];
  if (ctx.nginx !== null) {
    kind = 'nginx';
    child = startNginx(ctx, 'upstream-nginx', (prefix) => staticUpstreamConfig({ prefix, port, root, file: 'payload.json' }));
  } else {
    kind = 'embedded';
    child = nodeChild(ctx, 'upstream-embedded', join(PROCESSES_DIR, 'static-upstream.ts'), {
      BENCH_PORT: String(port),
      BENCH_PAYLOAD_FILE: payloadFile,
    });
  }
  await ready(child, `${url}${LOAD_PATH}`, `the ${kind} upstream`);
  return { kind, host: '127.0.0.1', port, url: `${url}${LOAD_PATH}`, headers: {}, children: [child], child };
}

export async function startNginxProxy(ctx: ServerContext, upstream: BenchUpstream): Promise<ServerUnderTest> {
  const port = await freePort();
  const child = startNginx(ctx, 'proxy-nginx', (prefix) =>
    reverseProxyConfig({ prefix, port, upstreamHost: upstream.host, upstreamPort: upstream.port }),
  );
  const url = `http://127.0.0.1:${port}${LOAD_PATH}`;
  await ready(child, url, 'nginx (reverse proxy)');
  return { url, headers: {}, children: [child] };
}

export async function startMinimalProxy(ctx: ServerContext, upstream: BenchUpstream): Promise<ServerUnderTest> {
  const port = await freePort();
  const script = await runnableScript(ctx, join(PROCESSES_DIR, 'minimal-proxy.ts'), 'minimal-proxy');
  const child = nodeChild(
    ctx,
    'minimal-proxy',
    script,
    { BENCH_PORT: String(port), BENCH_UPSTREAM: `http://${upstream.host}:${upstream.port}` },
    profileArgs(ctx, 'minimal-proxy'),
  );
  const url = `http://127.0.0.1:${port}${LOAD_PATH}`;
  await ready(child, url, 'the minimal undici proxy');
  return { url, headers: {}, children: [child] };
}

/**
 * The minimal proxy writing the gateway's wire format (processes/kong-shaped-proxy.ts), requested like
 * the gateway with key-auth + rate-limiting: same path, same key header.
 */
export async function startKongShapedProxy(ctx: ServerContext, upstream: BenchUpstream, apiKey: string): Promise<ServerUnderTest> {
  const port = await freePort();
  const script = await runnableScript(ctx, join(PROCESSES_DIR, 'kong-shaped-proxy.ts'), 'kong-shaped-proxy');
  const child = nodeChild(
    ctx,
    'kong-shaped-proxy',
    script,
    { BENCH_PORT: String(port), BENCH_UPSTREAM: `http://${upstream.host}:${upstream.port}` },
    profileArgs(ctx, 'kong-shaped-proxy'),
  );
  const url = `http://127.0.0.1:${port}${BENCH_ROUTE_PATH}${LOAD_PATH}`;
  await ready(child, url, 'the minimal proxy with Kong headers');
  return { url, headers: gatewayRequestHeaders('key-auth+rate-limiting', apiKey), children: [child] };
}

async function responseHeaderNames(server: ServerUnderTest): Promise<string[]> {
  const response = await request(server.url, { headers: server.headers, headersTimeout: 5_000, bodyTimeout: 5_000 });
  await response.body.dump();
  return Object.keys(response.headers);
}

/**
 * The Kong-shaped baseline only means something while it writes what the gateway writes: its response
 * header names, in order, must be the gateway's (key-auth + rate-limiting).
 */
export async function checkKongShapedProxy(kongShaped: ServerUnderTest, gateway: ServerUnderTest): Promise<void> {
  const [ours, gateways] = await Promise.all([responseHeaderNames(kongShaped), responseHeaderNames(gateway)]);
  if (ours.join(',') !== gateways.join(',')) {
    throw new BenchSetupError(
      `the minimal proxy with Kong headers no longer writes the gateway's response headers: it writes ${ours.join(', ')}; ` +
        `the gateway writes ${gateways.join(', ')}. Update harness/src/bench/processes/kong-shaped-proxy.ts to match`,
    );
  }
}

export interface GatewayUnderTest extends ServerUnderTest {
  plugins: GatewayPlugins;
  adminUrl: string;
  /** The tcp-log sink's read side, for the tcp-log configuration's check. */
  tcpLogReadUrl?: string;
}

/** What a configuration's declaration points at besides the upstream. */
export interface GatewayDependencies {
  redis?: LoopbackAddress;
  tcpLogSink?: TcpLogSinkUnderBench;
}

async function postConfig(adminUrl: string, declaration: Record<string, unknown>): Promise<void> {
  const response = await request(`${adminUrl}/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(declaration),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await response.body.text();
  if (response.statusCode !== 201 && response.statusCode !== 200) {
    throw new BenchSetupError(`the gateway refused the bench declaration: POST /config answered ${response.statusCode} ${text.slice(0, 500)}`);
  }
}

type Answer = { status: number; headers: Record<string, string | string[] | undefined> };

async function get(url: string, headers: Record<string, string>): Promise<Answer> {
  const response = await request(url, { headers, headersTimeout: 5_000, bodyTimeout: 5_000 });
  await response.body.dump();
  return { status: response.statusCode, headers: response.headers };
}

const header = (answer: Answer, name: string) => [answer.headers[name.toLowerCase()]].flat()[0];

/** What the added plugin must visibly do; request-transformer changes only what the (static) upstream sees, so it has none here. */
async function checkAddedPlugin(gateway: GatewayUnderTest, withKey: Answer, apiKey: string): Promise<string[]> {
  switch (addedPlugin(gateway.plugins)) {
    case 'basic-auth': {
      const keyOnly = await get(gateway.url, { [BENCH_KEY_HEADER]: apiKey });
      return keyOnly.status === 401 ? [] : [`a request with the key but no basic-auth credentials answered ${keyOnly.status}, not 401`];
    }
    case 'acl': {
      const outsider = await get(gateway.url, { [BENCH_KEY_HEADER]: outsiderKey(apiKey) });
      return outsider.status === 403 ? [] : [`a consumer outside the allowed group answered ${outsider.status}, not 403`];
    }
    case 'response-transformer':
      return header(withKey, BENCH_RESPONSE_HEADER) === '1' ? [] : [`a proxied response carries no ${BENCH_RESPONSE_HEADER} header`];
    case 'proxy-cache': {
      const again = await get(gateway.url, gateway.headers);
      const status = header(again, 'x-cache-status');
      return status === 'Hit' ? [] : [`the second request answered X-Cache-Status ${status ?? '(none)'}, not Hit: the load would not measure cache hits`];
    }
    case 'tcp-log': {
      if (gateway.tcpLogReadUrl === undefined) return ['no tcp-log sink to read'];
      const requestId = header(withKey, 'x-kong-request-id');
      if (requestId === undefined) return ['a proxied response carries no X-Kong-Request-Id to find its tcp-log line by'];
      try {
        const line = await httpTcpLogReader(gateway.tcpLogReadUrl).lineFor(requestId, 5_000);
        return line.raw.includes(apiKey) ? ['the tcp-log line carries the key in the clear'] : [];
      } catch (err) {
        return [err instanceof Error ? err.message : String(err)];
      }
    }
    default:
      return [];
  }
}

/**
 * Checks the configuration does what the figures will claim it does: proxies with the key, and
 * with key-auth refuses without it, with rate-limiting counts (RateLimit headers; with `policy: redis`
 * and fault_tolerant off they prove the Redis answered), and each added plugin acts.
 */
async function checkGateway(gateway: GatewayUnderTest, apiKey: string): Promise<void> {
  const withKey = await get(gateway.url, gateway.headers);
  const problems: string[] = [];
  if (withKey.status !== 200) problems.push(`a request with the key answered ${withKey.status}, not 200`);
  if (gateway.plugins !== 'none') {
    const withoutKey = await get(gateway.url, {});
    if (withoutKey.status !== 401) problems.push(`a request without a key answered ${withoutKey.status}, not 401`);
  }
  if (gateway.plugins.startsWith('key-auth+rate-limiting') && withKey.headers['ratelimit-limit'] === undefined) {
    problems.push('a proxied request carries no RateLimit-Limit header');
  }
  if (withKey.status === 200) problems.push(...(await checkAddedPlugin(gateway, withKey, apiKey)));
  if (problems.length > 0) {
    throw new BenchSetupError(`the gateway (${gateway.plugins}) misbehaves: ${problems.join('; ')}. This is the gateway's bug to fix; the bench does not work around it`);
  }
}

const MAX_PORT_ATTEMPTS = 3;

export async function startBenchGateway(
  ctx: ServerContext,
  upstream: BenchUpstream,
  plugins: GatewayPlugins,
  apiKey: string,
  dependencies: GatewayDependencies = {},
  name: string = plugins,
): Promise<GatewayUnderTest> {
  const nodeArgs = profileArgs(ctx, `gateway-${name}`);
  const gatewayScript = await runnableScript(ctx, GATEWAY_MAIN, 'gateway');
  let lastError: BenchSetupError | null = null;
  // Ports are picked here (not port 0) so stdout can go to /dev/null from the start; a port taken
  // in between makes the gateway exit, and another pair is tried.
  for (let attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
    const [proxyPort, adminPort] = [await freePort(), await freePort()];
    const child = nodeChild(
      ctx,
      `gateway (${name})`,
      gatewayScript,
      {
        KONG_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
        KONG_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
        // Kong logs every request by default; the log lines go to /dev/null but are still written.
        KONG_PROXY_ACCESS_LOG: 'on',
      },
      nodeArgs,
    );
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    if (!(await answers(child, `${adminUrl}/status`, `the gateway's Admin API (${plugins})`))) {
      await child.stop();
      lastError = new BenchSetupError(`the gateway (${plugins}) did not start: its admin API never answered at ${adminUrl}/status`, child.stderrTail());
      if (!/EADDRINUSE/.test(child.stderrTail())) break;
      continue;
    }
    const gateway: GatewayUnderTest = {
      plugins,
      adminUrl,
      url: `http://127.0.0.1:${proxyPort}${BENCH_ROUTE_PATH}${LOAD_PATH}`,
      headers: gatewayRequestHeaders(plugins, apiKey),
      children: [child],
      ...(dependencies.tcpLogSink ? { tcpLogReadUrl: dependencies.tcpLogSink.readUrl } : {}),
    };
    try {
      const declaration = gatewayDeclaration({
        upstreamUrl: `http://${upstream.host}:${upstream.port}`,
        plugins,
        apiKey,
        redis: dependencies.redis,
        tcpLogSink: dependencies.tcpLogSink,
      });
      await postConfig(adminUrl, declaration);
      await checkGateway(gateway, apiKey);
    } catch (err) {
      await child.stop();
      throw err;
    }
    return gateway;
  }
  throw lastError ?? new BenchSetupError(`the gateway (${plugins}) did not start`);
}

/**
 * `count` gateway nodes (each its own process, configured like the one-node configuration) behind the
 * harness's per-connection TCP balancer in a process of its own; all on the server core, so their CPU
 * adds up to the configuration's.
 */
export async function startBenchNodes(
  ctx: ServerContext,
  upstream: BenchUpstream,
  count: number,
  plugins: GatewayPlugins,
  apiKey: string,
): Promise<ServerUnderTest> {
  const nodes: GatewayUnderTest[] = [];
  try {
    for (let index = 0; index < count; index++) nodes.push(await startBenchGateway(ctx, upstream, plugins, apiKey, {}, `${plugins}-node-${index + 1}`));
    const port = await freePort();
    const backends = nodes.map((node) => new URL(node.url).host).join(',');
    const balancer = nodeChild(ctx, 'tcp balancer', join(PROCESSES_DIR, 'tcp-balancer.ts'), { BENCH_PORT: String(port), BENCH_BACKENDS: backends });
    const url = `http://127.0.0.1:${port}${BENCH_ROUTE_PATH}${LOAD_PATH}`;
    await ready(balancer, url, 'the TCP balancer');
    return { url, headers: gatewayRequestHeaders(plugins, apiKey), children: [balancer, ...nodes.flatMap((node) => node.children)] };
  } catch (err) {
    await Promise.all(nodes.flatMap((node) => node.children).map((child) => child.stop()));
    throw err;
  }
}
