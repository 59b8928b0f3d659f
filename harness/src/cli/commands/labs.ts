// `npm run labs`: every lab, in order, on one environment of its own, then one summary. A broken lab
// file fails its own lab, not the others.

import { formatFailedChecks, formatRunSummary } from '../../report/terminal.js';
import type { LabResult } from '../../runner/results.js';
import { scanLabs } from '../../spec/discover.js';
import type { LabEnvironment } from '../../env/index.js';
import { LAB_ARG_OPTIONS, readCommandOptions, usage, type CommandOptions } from '../args.js';
import { openEnvironment } from '../environment.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { humanPrinter, writeMachineReports, type CommandIo } from '../output.js';
import { walkThroughLab } from '../walk-through.js';
import { recordAppliedLab } from '../../classroom/state.js';
import { statePaths } from '../../classroom/paths.js';
import { describeNeeds, labNeeds, redisSkipReason } from '../lab-needs.js';
import { skippedResult } from './lab.js';
import { defineCommand, printError } from './command.js';
import { LabkitError } from '../../errors/labkit-error.js';

export const labsCommand = defineCommand({
  name: 'labs',
  usage: usage('labs'),
  options: LAB_ARG_OPTIONS,
  tooManyArguments: (positionals) => `npm run labs runs every lab; for one lab use: npm run lab ${positionals[0]}`,
  run: ({ values, positionals }, io) => runEveryLab(readCommandOptions('labs', values, positionals), io),
});

async function runEveryLab(options: CommandOptions, io: CommandIo): Promise<number> {
  const scan = scanLabs(io.labsDir);
  const printer = humanPrinter(io, options);
  // One environment per kind the labs need (nodes, Redis), opened when the first lab needing it comes.
  const environments = new Map<string, LabEnvironment>();
  const results: LabResult[] = [];
  let last: { id: string; env: LabEnvironment } | null = null;
  try {
    for (const lab of scan.labs) {
      const needs = labNeeds(lab, options);
      const skip = await redisSkipReason(needs, options.runtime, io.env);
      if (skip) {
        printer.say(`Lab ${lab.number} (${lab.id}) skipped: it ${skip}.`);
        results.push(skippedResult(lab, skip));
        continue;
      }
      const key = `${needs.nodes}/${needs.redis}`;
      let env = environments.get(key);
      if (!env) {
        try {
          env = await openEnvironment(options, io, (message) => printer.say(`• ${message}`), 'labs', needs);
        } catch (error) {
          const note = `could not prepare the environment (${describeNeeds(needs)})`;
          if (error instanceof LabkitError) return printError(io, 'labs', error.withNote(note));
          io.stderr.write(`Could not prepare the environment (${describeNeeds(needs)}): ${(error as Error).message}\n`);
          return EXIT_FAILED;
        }
        environments.set(key, env);
      }
      const result = await walkThroughLab(lab, env, printer);
      results.push(result);
      last = result.error ? null : { id: lab.id, env };
    }
    if (last) await recordAppliedLab(last.id, undefined, last.env.adminUrl, statePaths(io.env));
  } finally {
    for (const env of environments.values()) await env.close();
  }
  const terminal = { color: printer.color, width: printer.width };
  printer.say(formatRunSummary(results, terminal));
  const failed = formatFailedChecks(results, terminal);
  if (failed) printer.say(`\n${failed}`);
  for (const broken of scan.broken) printError(io, 'labs', broken.error.withNote(`lab ${broken.number} (${broken.id}) was not run`));
  writeMachineReports(options, results, io, printer);
  if (scan.broken.length > 0) return EXIT_USAGE;
  return results.every((result) => result.passed || result.skipped !== undefined) ? EXIT_OK : EXIT_FAILED;
}
