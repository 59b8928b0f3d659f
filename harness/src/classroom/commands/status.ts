// `npm run status`: is the environment of `npm run up` still whole, which lab does it run, how many
// rate-limit counters are live; each problem with what to type.

import { loadLab } from '../../spec/discover.js';
import { inspectEnvironment, type EnvironmentHealth } from '../inspect.js';
import { logTail, notAccessLine } from '../log-file.js';
import { shownPath, statePaths } from '../paths.js';
import { readRecordForCommand, type EnvironmentRecord } from '../state.js';
import { environmentLines } from './describe.js';
import { clockTime, EXIT_FAILED, EXIT_NO_ENVIRONMENT, EXIT_OK, printer, type ClassroomIo, type Printer } from './io.js';

function labTitle(id: string, labsDir: string | undefined): string {
  try {
    const lab = loadLab(id, labsDir);
    return `${lab.id} — ${lab.title}`;
  } catch {
    return id;
  }
}

function appliedLine(health: EnvironmentHealth, labsDir: string | undefined): string {
  const record = health.applied.record;
  const what = record ? (record.lab === null ? 'the empty configuration (npm run reset)' : labTitle(record.lab, labsDir)) : '';
  const when = record ? clockTime(record.at) : '';
  switch (health.applied.state) {
    case 'current':
      return record!.lab === null ? `none: empty configuration since ${when} (npm run reset)` : `${what} (applied ${when})`;
    case 'changed':
      return `unknown (changed since ${record!.lab === null ? 'the reset' : record!.lab} at ${when})`;
    case 'none':
      return 'none recorded (npm run goto N or npm run lab N applies one)';
    case 'unknown':
      return `unknown: the gateway does not answer${record ? ` (last applied: ${record.lab ?? 'empty configuration'} at ${when})` : ''}`;
  }
}

function countersLine(health: EnvironmentHealth): string {
  switch (health.counters.state) {
    case 'known':
      return `${health.counters.count} rate-limit counter${health.counters.count === 1 ? '' : 's'} in use`;
    case 'unsupported':
      return 'cannot tell: this gateway has no /_labkit/rate-limiting/counters (a real Kong?)';
    case 'unknown':
      return `unknown (${health.counters.problem})`;
  }
}

function report(record: EnvironmentRecord, health: EnvironmentHealth, out: Printer, io: ClassroomIo): void {
  const { p } = out;
  const paths = statePaths(io.env);
  const word = (ok: boolean, text: string) => (ok ? p.green(text) : p.red(text));
  out.say(p.bold(`Environment of ${record.startedBy ?? 'npm run up'}: ${record.runtime}, started ${clockTime(record.startedAt)} (${record.startedAt})`));
  out.say(environmentLines(record, paths, health.redis?.running).join('\n'));
  const processes = health.processes.map((entry) => `${entry.role} pid ${entry.pid} ${word(entry.state === 'running', entry.state)}`);
  out.say(`  Processes   ${processes.join(' · ')}`);
  if (health.containers) {
    out.say(`  Containers  ${health.containers.map((c) => `${c.role} ${c.id.slice(0, 12)} ${word(c.state === 'running', c.state)}`).join(' · ')}`);
  }
  out.say(
    health.gateway.reachable
      ? `  Gateway     ${p.green('reachable')}, configuration hash ${health.gateway.configurationHash || '(none reported)'}`
      : `  Gateway     ${p.red('NOT reachable')} (${health.gateway.problem})`,
  );
  if (health.nodes) {
    for (const [index, node] of health.nodes.each.entries()) {
      out.say(`    node ${index + 1}    ${node.reachable ? `${p.green('reachable')}, configuration hash ${node.configurationHash || '(none reported)'}` : p.red(`NOT reachable (${node.problem})`)}`);
    }
    out.say(`  Nodes       ${health.nodes.agree ? p.green(`all ${health.nodes.each.length} hold the same configuration_hash`) : p.red('they do NOT hold the same configuration_hash')}`);
  }
  out.say(`  Lab         ${appliedLine(health, io.labsDir)}`);
  out.say(`  Counters    ${countersLine(health)}`);
  if (health.problems.length === 0) return;
  out.say('');
  out.say(p.red('Problems:'));
  for (const problem of health.problems) out.say(`  ✗ ${problem}`);
  for (const stopped of health.processes.filter((entry) => entry.state !== 'running')) {
    const recorded = record.processes.find((entry) => entry.pid === stopped.pid)!;
    if (!recorded.log) continue;
    const tail = logTail(recorded.log, 10, notAccessLine);
    if (tail) out.say(p.dim(`--- ${shownPath(recorded.log)} (last lines) ---\n${tail}`));
    // A SIGKILL (kill -9, the OOM killer) leaves no last words: the log then ends with the start-up line.
    if (/"event":"listening"/.test(tail.split('\n').pop() ?? '')) {
      out.say(`  (the ${stopped.role} wrote nothing after starting: it was killed from outside, e.g. kill -9 or the out-of-memory killer)`);
    }
  }
}

/** The environment as `npm run status` shows it (or as JSON); its exit status. */
export async function showStatus(json: boolean, io: ClassroomIo): Promise<number> {
  const paths = statePaths(io.env);
  const record = readRecordForCommand(paths, io.stderr);
  if (record === 'broken') return EXIT_FAILED;
  if (!record) {
    if (json) io.stdout.write(`${JSON.stringify({ environment: null, health: null }, null, 2)}\n`);
    else io.stdout.write(`No environment is running (nothing recorded in ${shownPath(paths.stateFile)}). Start one with: npm run up\n`);
    return EXIT_NO_ENVIRONMENT;
  }
  const health = await inspectEnvironment(record);
  if (json) io.stdout.write(`${JSON.stringify({ environment: record, health }, null, 2)}\n`);
  else report(record, health, printer(io), io);
  return health.problems.length === 0 ? EXIT_OK : EXIT_FAILED;
}
