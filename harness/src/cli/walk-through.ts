// One lab as the commands show it: header, the decK-style sync report, each check as it finishes, the verdict.

import type { LabEnvironment } from '../env/index.js';
import { palette } from '../terminal/color.js';
import { besideOrBelow } from '../report/wrap.js';
import { formatCheckResult, formatEnvironmentStep, formatLabFooter, formatLabHeader } from '../report/terminal.js';
import { maskUrlCredentials } from '../runner/http.js';
import { labInfo, type RunOptions } from '../runner/run-lab.js';
import { syncAndRunLab } from '../session/sync-and-run.js';
import type { LabResult } from '../runner/results.js';
import { displayPath } from '../spec/discover.js';
import type { Lab } from '../spec/types.js';
import { formatSyncForPeople } from '../report/sync.js';
import type { SyncReport } from '../sync/index.js';
import type { Printer } from './output.js';
import { recordOf } from '../errors/labkit-error.js';
import { formatErrorBlock } from '../report/error-block.js';

const COUNTER_NOTES: Record<SyncReport['counters'], string> = {
  cleared: 'rate-limit counters cleared',
  kept: 'rate-limit counters kept',
  unsupported: 'this gateway cannot clear rate-limit counters: a rate-limit burst first waits for a fresh window',
};

export async function walkThroughLab(
  lab: Lab,
  env: LabEnvironment,
  printer: Printer,
  hooks: Pick<RunOptions, 'beforeCheck'> = {},
): Promise<LabResult> {
  const options = { color: printer.color, verbose: printer.verbose, width: printer.width };
  const p = palette(printer.color);
  printer.say(formatLabHeader(lab, options));
  const sync = `$ deck gateway sync ${displayPath(lab.declarationPath)}`;
  const equivalent = `(equivalent: POST ${maskUrlCredentials(env.adminUrl)}/config)`;
  printer.say(p.dim(besideOrBelow(sync, equivalent, printer.width)));
  const started = performance.now();
  try {
    const { result } = await syncAndRunLab(lab, env, {
      // A local gateway applies POST /config before answering; only a remote one can still be propagating.
      retries: env.runtime === 'external',
      onSync: (report) => printer.say(`${formatSyncForPeople(report)}\n${p.dim(`(${COUNTER_NOTES[report.counters]})`)}\n`),
      // A check in full is followed by a blank line; one-line checks follow each other.
      onCheck: (check) => printer.say(`${formatCheckResult(check, options)}${check.passed && !printer.verbose ? '' : '\n'}`),
      onEnvironmentStep: (step) => printer.say(formatEnvironmentStep(step, options)),
      onProgress: (message) => printer.say(p.yellow(`    ⏳ ${message}`)),
      beforeCheck: hooks.beforeCheck,
    });
    // A `redis: stop|start` step that could not be done ended the lab early: the error, at the step's line.
    if (result.error) printer.write(formatErrorBlock(result.error, { color: printer.color, width: printer.width }));
    printer.say(formatLabFooter(result, options));
    return result;
  } catch (error) {
    // A declaration the gateway refuses, or a gateway that does not answer: the lab cannot run. The result
    // carries the error (code, location, problem, fix) for --json and --junit; people get it rendered.
    const record = recordOf(error, 'COMMAND_FAILED', `lab ${lab.number} could not run`);
    printer.write(`${formatErrorBlock(record, { color: printer.color, width: printer.width })}\n`);
    return { lab: labInfo(lab), checks: [], passed: false, durationMs: Math.round(performance.now() - started), waitedMs: 0, error: record };
  }
}
