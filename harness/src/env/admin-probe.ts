// Asks a Kong-compatible Admin API whether it is up: GET /status (and GET / for external gateways).

import { request } from 'undici';

const PROBE_TIMEOUT_MS = 3_000;
const POLL_INTERVAL_MS = 100;

export type ProbeResult = { ok: true; body: unknown } | { ok: false; problem: string };

export async function probe(url: string): Promise<ProbeResult> {
  try {
    const response = await request(url, { method: 'GET', headersTimeout: PROBE_TIMEOUT_MS, bodyTimeout: PROBE_TIMEOUT_MS });
    const text = await response.body.text();
    if (response.statusCode !== 200) return { ok: false, problem: `HTTP ${response.statusCode} ${text.slice(0, 200)}`.trim() };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, problem: `the answer is not JSON: ${text.slice(0, 200)}` };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { ok: false, problem: code ? `${code} (${(err as Error).message})` : (err as Error).message };
  }
}

/** Polls `GET <admin>/status` until it answers 200, or gives up after `timeoutMs` with the last problem. */
export async function waitForStatus(adminUrl: string, timeoutMs: number): Promise<ProbeResult> {
  const deadline = Date.now() + timeoutMs;
  let last: ProbeResult = { ok: false, problem: 'not asked yet' };
  while (Date.now() < deadline) {
    last = await probe(`${adminUrl}/status`);
    if (last.ok) return last;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return last;
}
