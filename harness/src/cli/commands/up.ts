// `npm run up`: the class environment, left running for the session.

import { startClassEnvironment, type UpOptions } from '../../classroom/commands/up.js';
import { DEFAULT_ADMIN_PORT, DEFAULT_PROXY_PORT } from '../../classroom/ports.js';
import type { UpstreamChoice } from '../../env/types.js';
import { parseRuntimeRequest, RuntimeChoiceError, type RuntimeRequest } from '../../env/runtime-choice.js';
import { UsageError } from '../../errors/command-error.js';
import { parseNodeCount, UPSTREAM_CHOICES } from '../../env/runtime-options.js';
import { defineCommand } from './command.js';

const USAGE = [
  'Usage: npm run up [-- options]',
  '',
  'Starts httpbin and the gateway and leaves them running for the session (npm run down stops them).',
  '`npm run lab N`, `npm run goto N`, `npm run reset` and `npm run status` then use this environment.',
  '',
  '  --runtime auto|local|containers',
  '                     auto (default): containers when Docker answers a quick probe, else local',
  '                     processes (the same choice as npm run lab)',
  '  --upstream auto|debian-httpbin|embedded-httpbin',
  "                     local runtime: which httpbin (default auto: Debian's when installed)",
  `  --proxy-port N     the proxy port on 127.0.0.1, on every runtime (default ${DEFAULT_PROXY_PORT}, as on the slides;`,
  '                     0 = any free port); a taken port is an error that says what to do',
  `  --admin-port N     the Admin API port (default ${DEFAULT_ADMIN_PORT})`,
  '  --nodes N          N gateway nodes (default 1) behind a balancer on the proxy port that hands each new',
  "                     connection to the next node (a Kubernetes Service's stand-in); the Admin API is node 1's",
  '  --redis            start a Redis now for policy: redis (otherwise one starts when a declaration needs it)',
  '  --any-port         a taken port falls back to a free one (with a note) instead of an error',
  '  -h, --help         this help',
].join('\n');

/** Each usage error of up comes with the usage, as before. */
const usageError = (message: string) => new UsageError(`${message}\n\n${USAGE}`);

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw usageError(`${flag} must be a port number (0 = any free port), not "${value}"`);
  return port;
}

function readUpOptions(values: { runtime?: string; upstream: string; 'proxy-port': string; 'admin-port': string; 'any-port': boolean; nodes: string; redis: boolean }): UpOptions {
  let runtime: RuntimeRequest;
  try {
    runtime = parseRuntimeRequest(values.runtime);
  } catch (err) {
    if (err instanceof RuntimeChoiceError) throw usageError(err.message);
    throw err;
  }
  if (runtime === 'external') {
    throw usageError('npm run up starts an environment; for a gateway you run yourself, give npm run lab --runtime external');
  }
  const upstream = values.upstream as UpstreamChoice;
  if (!UPSTREAM_CHOICES.includes(upstream)) {
    throw usageError(`--upstream must be auto, debian-httpbin or embedded-httpbin, not "${upstream}"`);
  }
  return {
    runtime,
    upstream,
    proxyPort: parsePort('--proxy-port', values['proxy-port']),
    adminPort: parsePort('--admin-port', values['admin-port']),
    anyPort: values['any-port'],
    nodes: parseNodeCount(values.nodes, usageError),
    redis: values.redis,
  };
}

export const upCommand = defineCommand({
  name: 'up',
  usage: USAGE,
  options: {
    runtime: { type: 'string' },
    upstream: { type: 'string', default: 'auto' },
    'proxy-port': { type: 'string', default: String(DEFAULT_PROXY_PORT) },
    'admin-port': { type: 'string', default: String(DEFAULT_ADMIN_PORT) },
    'any-port': { type: 'boolean', default: false },
    nodes: { type: 'string', default: '1' },
    redis: { type: 'boolean', default: false },
  },
  run: ({ values }, io) => startClassEnvironment(readUpOptions(values), io),
});
