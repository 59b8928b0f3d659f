// `npm run labs`: every lab, in order, on one environment, then one summary.

import { formatRunSummary } from '../report/terminal.js';
import type { LabResult } from '../runner/results.js';
import { loadLabs } from '../spec/discover.js';
import { LabSpecError } from '../spec/errors.js';
import type { Lab } from '../spec/types.js';
import type { LabEnvironment } from '../env/index.js';
import { UsageError, parseCommandArgs, usage } from './args.js';
import { openEnvironment } from './environment.js';
import { EXIT_FAILED, EXIT_USAGE } from './lab-command.js';
import { humanPrinter, processIo, writeMachineReports, type CommandIo } from './output.js';
import { walkThroughLab } from './walk-through.js';
import { recordAppliedLab } from '../classroom/state.js';

export async function runLabsCommand(argv: string[], io: CommandIo = processIo()): Promise<number> {
  let options;
  let labs: Lab[];
  try {
    options = parseCommandArgs(argv, 'labs');
    if (options.help) {
      io.stdout.write(`${usage('labs')}\n`);
      return 0;
    }
    labs = loadLabs(io.labsDir);
  } catch (error) {
    if (error instanceof UsageError || error instanceof LabSpecError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const printer = humanPrinter(io, options);
  let env: LabEnvironment;
  try {
    env = await openEnvironment(options, (message) => printer.say(`• ${message}`));
  } catch (error) {
    io.stderr.write(`Could not prepare the environment: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }
  const results: LabResult[] = [];
  try {
    for (const lab of labs) results.push(await walkThroughLab(lab, env, printer));
    const last = results.at(-1);
    if (last && !last.error) await recordAppliedLab(last.lab.id, undefined, env.adminUrl);
  } finally {
    await env.close();
  }
  printer.say(formatRunSummary(results, { color: printer.color }));
  writeMachineReports(options, results, io, printer);
  return results.every((result) => result.passed) ? 0 : EXIT_FAILED;
}
