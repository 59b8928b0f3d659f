// `npm run lab <number|slug>`: a fresh environment, the lab's sync, its walk-through; `--keep` leaves it up.

import { toCurl } from '../report/curl.js';
import { prepareRequest } from '../runner/http.js';
import { findLab, loadLabs } from '../spec/discover.js';
import { LabSpecError, UnknownLabError } from '../spec/errors.js';
import type { Lab } from '../spec/types.js';
import type { LabEnvironment } from '../env/index.js';
import { UsageError, parseCommandArgs, usage } from './args.js';
import { describeEnvironment, openEnvironment } from './environment.js';
import { humanPrinter, processIo, waitForInterrupt, writeMachineReports, type CommandIo, type Printer } from './output.js';
import { walkThroughLab } from './walk-through.js';
import { isRunningEnvironment, readRunningEnvironment, recordAppliedLab } from '../classroom/state.js';
import { waitForEnter } from './step.js';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function runLabCommand(argv: string[], io: CommandIo = processIo()): Promise<number> {
  let options;
  let lab: Lab;
  try {
    options = parseCommandArgs(argv, 'lab');
    if (options.help) {
      io.stdout.write(`${usage('lab')}\n`);
      return 0;
    }
    lab = findLab(loadLabs(io.labsDir), options.selector!);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownLabError || error instanceof LabSpecError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const printer = humanPrinter(io, options);
  if (options.curl) {
    await printCurlCommands(lab, printer);
    return 0;
  }
  let env: LabEnvironment;
  try {
    env = await openEnvironment(options, (message) => printer.say(`• ${message}`));
  } catch (error) {
    io.stderr.write(`Could not prepare the environment: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }
  try {
    const result = await walkThroughLab(lab, env, printer, options.step ? { beforeCheck: (check) => waitForEnter(printer, toCurl(prepareRequest(env.proxyUrl, check.request).url, check.request)) } : {});
    if (!result.error) await recordAppliedLab(lab.id, undefined, env.adminUrl);
    writeMachineReports(options, [result], io, printer);
    if (options.keep) await keepEnvironment(lab, env, printer, io);
    return result.passed ? 0 : EXIT_FAILED;
  } finally {
    await env.close();
  }
}

/** `--curl`: the lab's requests to type by hand, against the running environment or $DATA_PLANE_LB. */
async function printCurlCommands(lab: Lab, printer: Printer): Promise<void> {
  const running = await readRunningEnvironment();
  const base = running ? running.proxyUrl : '$DATA_PLANE_LB';
  const lines = [...new Set(lab.checks.map((check) => toCurl(prepareRequest(base, check.request).url, check.request)))];
  if (!running) lines.unshift('# export DATA_PLANE_LB=http://localhost:8000   (npm run up starts a gateway there)');
  printer.say(lines.join('\n'));
}

async function keepEnvironment(lab: Lab, env: LabEnvironment, printer: Printer, io: CommandIo): Promise<void> {
  const curls = [...new Set(lab.checks.map((check) => toCurl(prepareRequest(env.proxyUrl, check.request).url, check.request)))];
  printer.say([
    '',
    env.runtime !== 'external' ? 'The environment stays up. Try the lab by hand:' : 'Try the lab by hand:',
    ...describeEnvironment(env),
    '',
    ...curls.map((curl) => `  ${curl}`),
    '',
    env.runtime !== 'external' && !isRunningEnvironment(env) ? 'Press Ctrl-C to stop it and clean up.' : '',
  ].join('\n'));
  if (env.runtime !== 'external' && !isRunningEnvironment(env)) {
    await (io.waitForStop ?? waitForInterrupt)();
    printer.say('Stopping the environment…');
  }
}

