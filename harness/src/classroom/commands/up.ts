// `npm run up`: start an environment that outlives the command, record it, say where it is.

import { mkdirSync, writeFileSync } from 'node:fs';
import type { UpstreamChoice } from '../../env/types.js';
import { LabkitError } from '../../errors/labkit-error.js';
import { writeError } from '../../errors/render.js';
import { startContainerClassroomEnvironment } from '../containers-up.js';
import { inspectEnvironment } from '../inspect.js';
import { startLocalClassroomEnvironment } from '../local-up.js';
import { statePaths, type StatePaths } from '../paths.js';
import { choosePorts, PortTakenError, type ChosenPorts } from '../ports.js';
import { chooseRuntime, describeRuntimeChoice, type RuntimeRequest } from '../../env/runtime-choice.js';
import { readEnvironmentRecord, StateFileError, writeEnvironmentRecord, type EnvironmentRecord } from '../state.js';
import { tearDownEnvironment } from '../teardown.js';
import { classroomRedisRunning } from '../redis.js';
import { environmentLines } from './describe.js';
import { EXIT_FAILED, EXIT_OK, printer, type ClassroomIo, type Printer } from './io.js';
import { withProgress } from './progress.js';

const SHELL_HINT = 'Shell: eval "$(npm run --silent env)" sets DATA_PLANE_LB, KONG_ADMIN_URL and PAT and puts the kit\'s deck on PATH, so the page\'s commands paste as they are.';

export interface UpOptions {
  runtime: Exclude<RuntimeRequest, 'external'>;
  upstream: UpstreamChoice;
  proxyPort: number;
  adminPort: number;
  anyPort: boolean;
  /** Gateway nodes behind the per-connection balancer (default 1). */
  nodes?: number;
  /** Start the Redis now (else on demand). */
  redis?: boolean;
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
  if (runtime === 'containers') return startContainerClassroomEnvironment({ nodes: options.nodes, redis: options.redis, ...common });
  return startLocalClassroomEnvironment({ upstream: options.upstream, nodes: options.nodes, redis: options.redis, ...common });
}

/** Starts the class environment (or keeps the healthy one already recorded) and says where it is. */
export async function startClassEnvironment(options: UpOptions, io: ClassroomIo): Promise<number> {
  const out = printer(io);
  const paths = statePaths(io.env);

  try {
    const existing = readEnvironmentRecord(paths);
    if (existing && (await settleExisting(existing, paths, out)) === 'running') {
      out.say(`An environment is already up (${existing.runtime}, started ${existing.startedAt}); using it.`);
      out.say(environmentLines(existing, paths, await classroomRedisRunning(existing)).join('\n'));
      out.say(SHELL_HINT);
      out.say(out.p.dim('npm run down stops it; npm run status tells how it is doing.'));
      return EXIT_OK;
    }
  } catch (err) {
    if (!(err instanceof StateFileError)) throw err;
    writeError(io.stderr, io.env, err);
    return err.exitCode;
  }

  let ports: ChosenPorts;
  try {
    ports = await choosePorts(options, options.anyPort);
  } catch (err) {
    if (!(err instanceof PortTakenError)) throw err;
    writeError(io.stderr, io.env, err.withNote('could not start the environment'));
    return err.exitCode;
  }
  const choice = await chooseRuntime(options.runtime, { env: io.env });
  const runtime = choice.runtime === 'containers' ? 'containers' : 'local';
  out.say(`Starting an environment: ${describeRuntimeChoice(choice)}`);
  mkdirSync(paths.dir, { recursive: true });
  // Fresh logs for a fresh environment.
  for (const name of ['gateway', 'httpbin', 'keeper', 'balancer', 'redis'] as const) writeFileSync(paths.log(name), '');
  for (let node = 2; node <= (options.nodes ?? 1); node += 1) writeFileSync(paths.log(`gateway-${node}`), '');
  let record: EnvironmentRecord;
  try {
    const terminal = io.stdout.isTTY === true && io.stderr.isTTY === true;
    record = await withProgress(out, { terminal }, (step) => start(runtime, options, ports, paths, step));
  } catch (err) {
    if (err instanceof LabkitError) {
      writeError(io.stderr, io.env, err.withNote('could not start the environment'));
      return err.exitCode;
    }
    io.stderr.write(`${out.p.red('Could not start the environment:')} ${(err as Error).message}\n`);
    return EXIT_FAILED;
  }
  writeEnvironmentRecord(record, paths);

  out.say('');
  out.say(out.p.green(`Environment up (${record.runtime}). It keeps running after this command, until npm run down.`));
  out.say(environmentLines(record, paths, await classroomRedisRunning(record)).join('\n'));
  out.say('');
  out.say(SHELL_HINT);
  out.say('Next: npm run lab 1 (uses this environment) · npm run goto 5 · npm run reset · npm run status · npm run down');
  return EXIT_OK;
}
