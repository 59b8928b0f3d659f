// `npm run reset` (empty configuration, every rate-limit counter cleared) and `npm run goto N`
// (= `npm run reset -- N`: exactly the state of lab N, with fresh counters), for the instructor.

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { swallowedNpmFlags } from '../../cli/npm-config-flags.js';
import { toCurl } from '../../report/curl.js';
import { maskUrlCredentials, prepareRequest } from '../../runner/http.js';
import { displayPath, loadLab } from '../../spec/discover.js';
import { LabSpecError, UnknownLabError } from '../../spec/errors.js';
import type { Lab } from '../../spec/types.js';
import { formatSyncReport, resetGateway, SyncError, syncDeclarationFile, type SyncReport } from '../../sync/index.js';
import { NoEnvironmentError } from '../errors.js';
import { statePaths } from '../paths.js';
import { readEnvironmentRecord, recordAppliedLab, StateFileError } from '../state.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, printer, processIo, seconds, type ClassroomIo, type Printer } from './io.js';

const TARGET_OPTIONS = [
  '  --admin-url URL    work on this gateway instead of the one npm run up started (e.g. a real Kong)',
  '  --proxy-url URL    its proxy, to print the curl commands with',
  '  -h, --help         this help',
];

export const RESET_USAGE = [
  'Usage: npm run reset [-- N] [-- options]',
  '',
  'Empties the gateway configuration and clears every rate-limit counter (decK: deck gateway reset).',
  'With a lab number or slug, does npm run goto N instead.',
  '',
  ...TARGET_OPTIONS,
].join('\n');

export const GOTO_USAGE = [
  'Usage: npm run goto <number|slug> [-- options]',
  '',
  "Puts the gateway exactly in lab N's state: empty configuration, then the lab's key-auth.yaml,",
  'with every rate-limit counter cleared; prints the curl commands the class can try.',
  '',
  ...TARGET_OPTIONS,
].join('\n');

/**
 * Clearing counters needs GET/DELETE /_labkit/rate-limiting/counters, which only our gateway has;
 * on a real Kong the labs' rate-limit checks wait for a fresh window instead.
 */
const COUNTER_NOTES: Record<SyncReport['counters'], string> = {
  cleared: 'rate-limit counters cleared',
  kept: 'rate-limit counters kept',
  unsupported:
    'this gateway cannot clear rate-limit counters (no /_labkit/rate-limiting/counters, like a real Kong): ' +
    'a rate-limit check first waits for a fresh window',
};

interface Target {
  adminUrl: string;
  proxyUrl: string | null;
}

class UsageError extends Error {}

const OPTIONS = { 'admin-url': { type: 'string' }, 'proxy-url': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } as const;

function parse(argv: string[], usage: string, command: 'reset' | 'goto', env: NodeJS.ProcessEnv): { selector: string | null; target: { adminUrl?: string; proxyUrl?: string } } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
  const swallowed = swallowedNpmFlags({ command, options: OPTIONS, argv, positionals: parsed.positionals, expectedPositionals: 1, env });
  if (swallowed) throw new UsageError(swallowed);
  if (parsed.values.help) return 'help';
  if (parsed.positionals.length > 1) throw new UsageError(`Give at most one lab.\n\n${usage}`);
  for (const flag of ['admin-url', 'proxy-url'] as const) {
    const url = parsed.values[flag];
    if (url !== undefined && !/^https?:\/\/\S+$/i.test(url)) throw new UsageError(`--${flag} must be an http:// or https:// URL`);
  }
  return { selector: parsed.positionals[0] ?? null, target: { adminUrl: parsed.values['admin-url'], proxyUrl: parsed.values['proxy-url'] } };
}

function resolveTarget(flags: { adminUrl?: string; proxyUrl?: string }, io: ClassroomIo): Target {
  const strip = (url: string) => url.replace(/\/+$/, '');
  if (flags.adminUrl) return { adminUrl: strip(flags.adminUrl), proxyUrl: flags.proxyUrl ? strip(flags.proxyUrl) : null };
  const paths = statePaths(io.env);
  const record = readEnvironmentRecord(paths);
  if (!record) throw new NoEnvironmentError(paths.stateFile);
  return { adminUrl: record.adminUrl, proxyUrl: record.proxyUrl };
}

async function reset(target: Target, out: Printer, io: ClassroomIo): Promise<number> {
  const { p } = out;
  out.say(p.dim(`$ deck gateway reset   (equivalent: POST ${maskUrlCredentials(target.adminUrl)}/config with an empty configuration)`));
  const started = performance.now();
  const report = await resetGateway({ adminUrl: target.adminUrl });
  const took = seconds(performance.now() - started);
  await recordAppliedLab(null, report.configurationHash, target.adminUrl, statePaths(io.env));
  out.say(formatSyncReport(report));
  out.say(p.green(`Empty configuration, ${COUNTER_NOTES[report.counters]}, in ${took}.`));
  return EXIT_OK;
}

function curlLines(lab: Lab, proxyUrl: string | null): string[] {
  if (!proxyUrl) return ['  (give --proxy-url to see the curl commands)'];
  const curls = [...new Set(lab.checks.map((check) => toCurl(prepareRequest(proxyUrl, check.request).url, check.request)))];
  return [`  export DATA_PLANE_LB=${maskUrlCredentials(proxyUrl)}`, ...curls.map((curl) => `  ${curl}`)];
}

async function goto(lab: Lab, target: Target, out: Printer, io: ClassroomIo): Promise<number> {
  const { p } = out;
  out.say(p.bold(`Lab ${lab.number} — ${lab.title}`));
  out.say(
    p.dim(`$ deck gateway reset && deck gateway sync ${displayPath(lab.declarationPath)}   (equivalent: POST ${maskUrlCredentials(target.adminUrl)}/config, twice)`),
  );
  const started = performance.now();
  // Emptied first, so what the class sees is the lab's state and nothing left from elsewhere.
  await resetGateway({ adminUrl: target.adminUrl, resetCounters: false });
  const report = await syncDeclarationFile(lab.declarationPath, { adminUrl: target.adminUrl });
  const took = seconds(performance.now() - started);
  await recordAppliedLab(lab.id, report.configurationHash, target.adminUrl, statePaths(io.env));
  out.say(formatSyncReport(report));
  out.say(p.green(`Now at lab ${lab.number} (${lab.id}), ${COUNTER_NOTES[report.counters]}, in ${took}. The class can try:`));
  out.say(curlLines(lab, target.proxyUrl).join('\n'));
  return EXIT_OK;
}

async function run(argv: string[], io: ClassroomIo, command: 'reset' | 'goto'): Promise<number> {
  const usage = command === 'reset' ? RESET_USAGE : GOTO_USAGE;
  let lab: Lab | null = null;
  let target: Target;
  try {
    const parsed = parse(argv, usage, command, io.env);
    if (parsed === 'help') {
      io.stdout.write(`${usage}\n`);
      return EXIT_OK;
    }
    if (command === 'goto' && !parsed.selector) throw new UsageError(`Give the lab to go to, by number or slug.\n\n${usage}`);
    if (parsed.selector) lab = loadLab(parsed.selector, io.labsDir);
    target = resolveTarget(parsed.target, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof UnknownLabError || err instanceof LabSpecError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof NoEnvironmentError || err instanceof StateFileError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  }
  const out = printer(io);
  try {
    return lab ? await goto(lab, target, out, io) : await reset(target, out, io);
  } catch (err) {
    if (!(err instanceof SyncError)) throw err;
    io.stderr.write(`${out.p.red(command === 'reset' ? 'Reset failed:' : `Could not go to lab ${lab!.number}:`)} ${err.message}\n`);
    return EXIT_FAILED;
  }
}

export function runResetCommand(argv: string[], io: ClassroomIo = processIo()): Promise<number> {
  return run(argv, io, 'reset');
}

export function runGotoCommand(argv: string[], io: ClassroomIo = processIo()): Promise<number> {
  return run(argv, io, 'goto');
}
