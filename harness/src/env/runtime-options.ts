// The runtime flags every command that opens an environment shares (npm run lab, labs, verify-docs):
// their help lines and the checks of their combinations, so that each says the same thing. They live with
// the runtime choice they feed, below both the commands (cli/) and verify-docs (docs/) that read them.

import { parseRuntimeRequest, RuntimeChoiceError, type RuntimeRequest } from './runtime-choice.js';
import type { UpstreamChoice } from './types.js';

export const UPSTREAM_CHOICES: readonly UpstreamChoice[] = ['auto', 'debian-httpbin', 'embedded-httpbin'];

export const RUNTIME_USAGE_LINES: readonly string[] = [
  '  --runtime auto|local|containers|external',
  '                             auto (default): containers when Docker answers a quick',
  '                             probe, else local; local: httpbin and the gateway as',
  '                             processes here; containers: both in Docker; external: a',
  '                             running gateway (needs --proxy-url and --admin-url)',
  '  --proxy-url URL            with --runtime external: the gateway proxy',
  '                             ($DATA_PLANE_LB on the page)',
  '  --admin-url URL            its Admin API, with --runtime external',
  '  --upstream auto|debian-httpbin|embedded-httpbin',
  '                             which httpbin a local environment starts (default auto)',
  '  --nodes N                  N gateway nodes behind a per-connection round-robin',
  '                             balancer (default 1; a lab may ask for more with nodes:',
  '                             in its lab.yaml); local runtime',
  '  --redis                    also start a Redis for policy: redis (one starts on demand',
  '                             anyway when a synced declaration uses it); local runtime',
];

export const MAX_NODES = 9;

/** The util.parseArgs declarations behind RUNTIME_USAGE_LINES (`--runtime` apart: its default differs by command). */
export const RUNTIME_ARG_OPTIONS = {
  'proxy-url': { type: 'string' },
  'admin-url': { type: 'string' },
  upstream: { type: 'string', default: 'auto' },
  nodes: { type: 'string', default: '1' },
  redis: { type: 'boolean', default: false },
} as const;

export interface RuntimeFlags {
  runtime: RuntimeRequest;
  proxyUrl: string | null;
  adminUrl: string | null;
  upstream: UpstreamChoice;
  nodes: number;
  redis: boolean;
}

/** Reads and checks the flags as parseArgs gave them; throws `makeError(message)` on the first problem. */
export function readRuntimeFlags(
  values: { runtime?: string; 'proxy-url'?: string; 'admin-url'?: string; upstream?: string; nodes?: string; redis?: boolean },
  makeError: (message: string) => Error,
): RuntimeFlags {
  let runtime: RuntimeRequest;
  try {
    runtime = parseRuntimeRequest(values.runtime);
  } catch (error) {
    if (error instanceof RuntimeChoiceError) throw makeError(`--runtime: ${error.message}`);
    throw error;
  }
  const upstream = (values.upstream ?? 'auto') as UpstreamChoice;
  if (!UPSTREAM_CHOICES.includes(upstream)) {
    throw makeError(`--upstream ${upstream} is not one of ${UPSTREAM_CHOICES.join(', ')}`);
  }
  const proxyUrl = values['proxy-url'] ?? null;
  const adminUrl = values['admin-url'] ?? null;
  if (runtime === 'external') {
    if (!proxyUrl || !adminUrl) {
      throw makeError('--runtime external needs both --proxy-url URL and --admin-url URL (the gateway you started yourself)');
    }
    for (const [flag, url] of [['--proxy-url', proxyUrl], ['--admin-url', adminUrl]] as const) {
      if (!isHttpUrl(url)) throw makeError(`${flag} must be an http:// or https:// URL, e.g. http://localhost:8000`);
    }
  } else if (proxyUrl || adminUrl) {
    throw makeError('--proxy-url and --admin-url go with --runtime external; a local or container environment picks its own ports');
  }
  const nodes = parseNodeCount(values.nodes ?? '1', makeError);
  const redis = values.redis ?? false;
  if (runtime === 'external' && (nodes > 1 || redis)) {
    throw makeError('--nodes and --redis start nodes and a Redis of their own; with --runtime external the gateway (and its Redis) are yours');
  }
  return { runtime, proxyUrl, adminUrl, upstream, nodes, redis };
}

export function parseNodeCount(value: string, makeError: (message: string) => Error): number {
  const nodes = Number(value);
  if (!/^\d+$/.test(value) || nodes < 1 || nodes > MAX_NODES) throw makeError(`--nodes must be a whole number from 1 to ${MAX_NODES}, not "${value}"`);
  return nodes;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
