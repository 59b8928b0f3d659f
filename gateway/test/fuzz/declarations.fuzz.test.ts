// Fuzzes POST /config with seeded malformed declarations (see declaration-cases.ts), each sent as
// JSON and as YAML to a gateway running as its own process, so that a frozen event loop shows as a
// request timing out here instead of freezing the test. Every answer must be 201, 400 or 413; a
// refusal must leave configuration_hash as it was; after every case /status answers and the known
// route still proxies.
//
//   LABKIT_FUZZ_SEED=<n>    replay a run (the seed is in every test name)
//   LABKIT_FUZZ_CASES=<n>   cases to run (default 270; try 5000 for a long run)

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHttpbin } from '../../../harness/src/upstream/embedded-httpbin.js';
import type { RunningUpstream } from '../../../harness/src/upstream/index.js';
import { startGatewayProcess, type StartedProcess } from '../integration/gateway-process.js';
import { KNOWN_HOST, baseDeclaration, generateCases, type FuzzForm } from './declaration-cases.js';

const SEED = Number(process.env.LABKIT_FUZZ_SEED ?? 20261201);
const COUNT = Number(process.env.LABKIT_FUZZ_CASES ?? 270);
/** A request that takes longer has hung the gateway: the case fails (never a timing assertion). */
const REQUEST_TIMEOUT_MS = 20_000;

let upstream: RunningUpstream;
let gateway: StartedProcess | undefined;
let adminUrl: string;
let proxyUrl: string;
let baseHash: string;

async function send(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer } = {}) {
  const response = await request(url, { ...options, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
  const text = await response.body.text();
  return { status: response.statusCode, text };
}

async function configurationHash(): Promise<string> {
  const response = await send(`${adminUrl}/status`);
  expect(response.status, '/status').toBe(200);
  return JSON.parse(response.text).configuration_hash;
}

async function knownRouteStatus(): Promise<number> {
  return (await send(`${proxyUrl}/known/get`, { headers: { host: KNOWN_HOST } })).status;
}

async function loadBase(): Promise<string> {
  const response = await send(`${adminUrl}/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(baseDeclaration())),
  });
  expect(response.status, response.text).toBe(201);
  return configurationHash();
}

beforeAll(async () => {
  upstream = await startEmbeddedHttpbin();
  gateway = await startGatewayProcess({
    KONG_PROXY_ACCESS_LOG: 'off',
    KONG_UPSTREAM_OVERRIDES: `httpbin.kong.svc.cluster.local:8000=127.0.0.1:${upstream.port}`,
  });
  adminUrl = gateway.admin;
  proxyUrl = gateway.proxy;
  baseHash = await loadBase();
});

afterAll(async () => {
  gateway?.child.kill('SIGKILL');
  await gateway?.child;
  await upstream?.close();
});

async function checkForm(form: FuzzForm): Promise<void> {
  // Each form starts from the base declaration, whatever an earlier failure left behind.
  if ((await configurationHash()) !== baseHash) await loadBase();
  const before = baseHash;
  const response = await send(`${adminUrl}/config`, { method: 'POST', headers: { 'content-type': form.contentType }, body: form.body });
  expect([201, 400, 413], `${form.form}: ${response.status} ${response.text.slice(0, 300)}`).toContain(response.status);
  if (response.status === 201) {
    expect(await knownRouteStatus(), `${form.form}: the known route after a 201`).toBe(200);
    expect(await loadBase()).toBe(before);
    return;
  }
  expect(await configurationHash(), `${form.form}: a ${response.status} changed the configuration`).toBe(before);
  expect(await knownRouteStatus(), `${form.form}: the known route after a ${response.status}`).toBe(200);
}

describe(`POST /config fuzz (LABKIT_FUZZ_SEED=${SEED}, ${COUNT} cases)`, () => {
  for (const [index, fuzzCase] of generateCases(SEED, COUNT).entries()) {
    it(`#${index} ${fuzzCase.kind}: ${fuzzCase.description}`, async () => {
      for (const form of fuzzCase.forms) await checkForm(form);
    }, 2 * REQUEST_TIMEOUT_MS * (fuzzCase.forms.length * 4 + 1));
  }
});
