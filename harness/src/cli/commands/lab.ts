// `npm run lab <number|slug>`: a fresh environment, the lab's sync, its walk-through; `--keep` leaves it up
// in the foreground until Ctrl-C or SIGTERM.

import { formatFailedChecks } from '../../report/terminal.js';
import { foldCommand } from '../../report/wrap.js';
import { labCurlCommands, toCurl } from '../../report/curl.js';
import { prepareRequest } from '../../runner/http.js';
import type { LabResult } from '../../runner/results.js';
import { loadLab } from '../../spec/discover.js';
import type { Lab } from '../../spec/types.js';
import { waitForInterruption } from '../../env/cleanup.js';
import type { LabEnvironment } from '../../env/index.js';
import { LAB_ARG_OPTIONS, readCommandOptions, usage } from '../args.js';
import { describeEnvironment, openEnvironment } from '../environment.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { recordKeptEnvironment } from '../kept-environment.js';
import { humanPrinter, writeMachineReports, type CommandIo, type Printer } from '../output.js';
import { walkThroughLab } from '../walk-through.js';
import { isRunningEnvironment, readRunningEnvironment, recordAppliedLab } from '../../classroom/state.js';
import { statePaths } from '../../classroom/paths.js';
import { waitForEnter } from '../step.js';
import { labNeeds, redisSkipReason } from '../lab-needs.js';
import { labInfo } from '../../runner/run-lab.js';
import { defineCommand, printError } from './command.js';
import { LabkitError } from '../../errors/labkit-error.js';
import { KONG_PROXY_PORT } from '../../constants.js';

export const labCommand = defineCommand({
  name: 'lab',
  usage: usage('lab'),
  options: LAB_ARG_OPTIONS,
  maxPositionals: 1,
  tooManyArguments: (positionals) => `Give exactly one lab, by number or slug (got ${positionals.join(' ')}).\n\n${usage('lab')}`,
  async run({ values, positionals }, io) {
    const options = readCommandOptions('lab', values, positionals);
    // An unknown lab or a broken lab file is the command's error (exit 2, with did-you-mean).
    const lab = loadLab(options.selector!, io.labsDir);
    const printer = humanPrinter(io, options);
    if (options.curl) {
      await printCurlCommands(lab, printer, io);
      return EXIT_OK;
    }
    const needs = labNeeds(lab, options);
    const skip = await redisSkipReason(needs, options.runtime, io.env);
    if (skip) {
      printer.say(`Lab ${lab.number} (${lab.id}) skipped: it ${skip}.`);
      writeMachineReports(options, [skippedResult(lab, skip)], io, printer);
      return EXIT_OK;
    }
    let env: LabEnvironment;
    try {
      env = await openEnvironment(options, io, (message) => printer.say(`• ${message}`), 'lab', needs);
    } catch (error) {
      if (error instanceof LabkitError) return printError(io, 'lab', error.withNote('could not prepare the environment'));
      io.stderr.write(`Could not prepare the environment: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
    try {
      const paths = statePaths(io.env);
      const beforeCheck = options.step ? { beforeCheck: (check: Lab['checks'][number]) => waitForEnter(printer, toCurl(prepareRequest(env.proxyUrl, check.request))) } : {};
      const result = await walkThroughLab(lab, env, printer, beforeCheck);
      if (!result.error) await recordAppliedLab(lab.id, undefined, env.adminUrl, paths);
      if (!result.passed) printer.say(`\n${formatFailedChecks([result], { color: printer.color, width: printer.width })}`);
      writeMachineReports(options, [result], io, printer);
      if (options.keep) await keepEnvironment(lab, result, env, printer, io);
      return result.passed ? EXIT_OK : EXIT_FAILED;
    } finally {
      await env.close();
    }
  },
});

/** `--curl`: the lab's requests to type by hand, against the running environment or $DATA_PLANE_LB. */
async function printCurlCommands(lab: Lab, printer: Printer, io: CommandIo): Promise<void> {
  const running = await readRunningEnvironment(statePaths(io.env));
  const base = running ? running.proxyUrl : '$DATA_PLANE_LB';
  const lines = labCurlCommands(lab, base);
  if (!running) lines.unshift(`# export DATA_PLANE_LB=http://localhost:${KONG_PROXY_PORT}   (npm run up starts a gateway there)`);
  printer.say(lines.join('\n'));
}

/** Whether the lab ran a rate limit down to its blocked answer: the attendee's own curl would then be blocked too. */
function usedUpRateLimit(result: LabResult): boolean {
  return result.checks.some((check) => check.exchanges.some((exchange) => exchange.response?.status === 429));
}

async function keepEnvironment(lab: Lab, result: LabResult, env: LabEnvironment, printer: Printer, io: CommandIo): Promise<void> {
  const curls = labCurlCommands(lab, env.proxyUrl);
  const owned = env.runtime !== 'external' && !isRunningEnvironment(env);
  const kept = owned ? recordKeptEnvironment(env, `npm run lab ${lab.number} -- --keep`, io.env) : null;
  if (kept?.recorded && !result.error) await recordAppliedLab(lab.id, undefined, env.adminUrl, statePaths(io.env));
  const lines = [
    '',
    owned ? 'The environment stays up. Try the lab by hand:' : 'Try the lab by hand:',
    ...describeEnvironment(env),
    '',
    // Folded with shell continuations, so that each still pastes whole.
    ...curls.flatMap((curl) => foldCommand(curl, printer.width, '  ')),
  ];
  if (usedUpRateLimit(result)) {
    lines.push(
      '',
      'The lab used up the rate limit: until its window ends (up to a minute), your own requests answer',
      `429 too. To start from fresh counters: npm run goto ${lab.number}   (or npm run reset for an empty gateway)`,
    );
  }
  if (kept && !kept.recorded) lines.push('', 'npm run status, reset and goto stay with the environment already recorded (npm run down ends that one).');
  else if (kept) lines.push('', `npm run status, reset and goto ${lab.number} work on it from another terminal.`);
  const { which } = await import('zx');
  if (!(await which('curl', { nothrow: true }))) lines.push('', 'curl is not installed here: apt-get install -y curl (or send the requests with any HTTP client).');
  if (owned) lines.push('', 'Press Ctrl-C to stop it and clean up.');
  printer.say(lines.join('\n'));
  if (!owned) return;
  try {
    await (io.waitForStop ?? waitForInterruption)();
    printer.say('Stopping the environment…');
  } finally {
    kept?.forget();
  }
}

export function skippedResult(lab: Lab, reason: string): LabResult {
  return { lab: labInfo(lab), checks: [], passed: false, durationMs: 0, waitedMs: 0, skipped: reason };
}
