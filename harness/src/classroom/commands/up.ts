// `npm run up`: start an environment that outlives the command, record it, say where it is.

import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { UpstreamChoice } from '../../env/types.js';
import { startContainerClassroomEnvironment } from '../containers-up.js';
import { inspectEnvironment } from '../inspect.js';
import { startLocalClassroomEnvironment } from '../local-up.js';
import { statePaths, type StatePaths } from '../paths.js';
import { choosePorts, DEFAULT_ADMIN_PORT, DEFAULT_PROXY_PORT, PortTakenError, type ChosenPorts } from '../ports.js';
import { swallowedNpmFlags } from '../../cli/npm-config-flags.js';
import { chooseRuntime, describeRuntimeChoice, parseRuntimeRequest, RuntimeChoiceError, type RuntimeRequest } from '../../env/runtime-choice.js';
import { readEnvironmentRecord, StateFileError, writeEnvironmentRecord, type EnvironmentRecord } from '../state.js';
import { tearDownEnvironment } from '../teardown.js';
import { environmentLines } from './describe.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, printer, processIo, type ClassroomIo, type Printer } from './io.js';
import { withProgress } from './progress.js';

export const UP_USAGE = [
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
  '  --any-port         a taken port falls back to a free one (with a note) instead of an error',
  '  -h, --help         this help',
].join('\n');

const SHELL_HINT = 'Shell: eval "$(npm run --silent env)" sets DATA_PLANE_LB, KONG_ADMIN_URL and PAT and puts the kit\'s deck on PATH, so the page\'s commands paste as they are.';

interface UpOptions {
  runtime: Exclude<RuntimeRequest, 'external'>;
  upstream: UpstreamChoice;
  proxyPort: number;
  adminPort: number;
  anyPort: boolean;
}

const OPTIONS = {
  runtime: { type: 'string' },
  upstream: { type: 'string', default: 'auto' },
  'proxy-port': { type: 'string', default: String(DEFAULT_PROXY_PORT) },
  'admin-port': { type: 'string', default: String(DEFAULT_ADMIN_PORT) },
  'any-port': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class UsageError extends Error {}

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`${flag} must be a port number (0 = any free port), not "${value}"`);
  return port;
}

function parseUpArgs(argv: string[], env: NodeJS.ProcessEnv): UpOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: OPTIONS }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const swallowed = swallowedNpmFlags({ command: 'up', options: OPTIONS, argv, positionals: [], expectedPositionals: 0, env });
  if (swallowed) throw new UsageError(swallowed);
  let runtime: RuntimeRequest;
  try {
    runtime = parseRuntimeRequest(values.runtime);
  } catch (err) {
    if (err instanceof RuntimeChoiceError) throw new UsageError(err.message);
    throw err;
  }
  if (runtime === 'external') {
    throw new UsageError('npm run up starts an environment; for a gateway you run yourself, give npm run lab --runtime external');
  }
  const upstream = values.upstream as UpstreamChoice;
  if (!['auto', 'debian-httpbin', 'embedded-httpbin'].includes(upstream)) {
    throw new UsageError(`--upstream must be auto, debian-httpbin or embedded-httpbin, not "${upstream}"`);
  }
  return {
    runtime,
    upstream,
    proxyPort: parsePort('--proxy-port', values['proxy-port']),
    adminPort: parsePort('--admin-port', values['admin-port']),
    anyPort: values['any-port'],
  };
}

/** An environment already recorded: keep it when healthy, clear away its remains when not. */
async function settleExisting(existing: EnvironmentRecord, paths: StatePaths, out: Printer): Promise<'running' | 'cleared'> {
  const health = await inspectEnvironment(existing);
  if (health.problems.length === 0) return 'running';
  out.say(out.p.yellow(`The recorded environment is broken: ${health.problems[0]}`));
  out.say('• removing what is left of it…');
  await tearDownEnvironment(existing, paths);
  return 'cleared';
}

function start(runtime: 'local' | 'containers', options: UpOptions, ports: ChosenPorts, paths: StatePaths, onProgress: (message: string) => void): Promise<EnvironmentRecord> {
  const common = { proxyPort: ports.proxyPort, adminPort: ports.adminPort, notes: ports.notes, paths, onProgress };
  if (runtime === 'containers') return startContainerClassroomEnvironment(common);
  return startLocalClassroomEnvironment({ upstream: options.upstream, ...common });
}

export async function runUpCommand(argv: string[], io: ClassroomIo = processIo()): Promise<number> {
  let options: UpOptions | 'help';
  try {
    options = parseUpArgs(argv, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${err.message}\n\n${UP_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    io.stdout.write(`${UP_USAGE}\n`);
    return EXIT_OK;
  }
  const out = printer(io);
  const paths = statePaths(io.env);

  try {
    const existing = readEnvironmentRecord(paths);
    if (existing && (await settleExisting(existing, paths, out)) === 'running') {
      out.say(`An environment is already up (${existing.runtime}, started ${existing.startedAt}); using it.`);
      out.say(environmentLines(existing, paths).join('\n'));
      out.say(SHELL_HINT);
      out.say(out.p.dim('npm run down stops it; npm run status tells how it is doing.'));
      return EXIT_OK;
    }
  } catch (err) {
    if (!(err instanceof StateFileError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return EXIT_FAILED;
  }

  let ports: ChosenPorts;
  try {
    ports = await choosePorts(options, options.anyPort);
  } catch (err) {
    if (!(err instanceof PortTakenError)) throw err;
    io.stderr.write(`${out.p.red('Could not start the environment:')} ${err.message}\n`);
    return EXIT_FAILED;
  }
  const choice = await chooseRuntime(options.runtime, { env: io.env });
  const runtime = choice.runtime === 'containers' ? 'containers' : 'local';
  out.say(`Starting an environment: ${describeRuntimeChoice(choice)}`);
  mkdirSync(paths.dir, { recursive: true });
  // Fresh logs for a fresh environment.
  for (const name of ['gateway', 'httpbin', 'keeper'] as const) writeFileSync(paths.log(name), '');
  let record: EnvironmentRecord;
  try {
    const terminal = io.stdout.isTTY === true && io.stderr.isTTY === true;
    record = await withProgress(out, { terminal }, (step) => start(runtime, options, ports, paths, step));
  } catch (err) {
    io.stderr.write(`${out.p.red('Could not start the environment:')} ${(err as Error).message}\n`);
    return EXIT_FAILED;
  }
  writeEnvironmentRecord(record, paths);

  out.say('');
  out.say(out.p.green(`Environment up (${record.runtime}). It keeps running after this command, until npm run down.`));
  out.say(environmentLines(record, paths).join('\n'));
  out.say('');
  out.say(SHELL_HINT);
  out.say('Next: npm run lab 1 (uses this environment) · npm run goto 5 · npm run reset · npm run status · npm run down');
  return EXIT_OK;
}
