// `npm run bench [-- --quick] [--json FILE] …`: see harness/src/bench/ and the README's Performance section.

import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import {
  computeFigures,
  formatReport,
  formatStartupTiming,
  parseBenchArgs,
  resultsToJson,
  runBench,
  startupTimingJson,
  stopAllChildren,
  timeStartup,
  USAGE,
} from '../harness/src/bench/index.js';
import { printError } from '../harness/src/cli/commands/command.js';

/** After Ctrl-C, how long the bench may take to stop what it started before it exits anyway. */
const INTERRUPT_BOUND_MS = 15_000;

const interruption = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping every process it started…\n`);
    interruption.abort();
    void stopAllChildren().finally(() => {
      setTimeout(() => process.exit(128 + constants.signals[signal]), INTERRUPT_BOUND_MS).unref();
    });
  });
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseBenchArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  if (options.only?.length === 1 && options.only[0] === 'startup') {
    const startup = await timeStartup(progress, interruption.signal);
    process.stdout.write(`\n${formatStartupTiming(startup)}\n`);
    if (options.jsonFile !== null) writeFileSync(options.jsonFile, `${JSON.stringify({ startup: startupTimingJson(startup) }, null, 2)}\n`);
    return startup.available ? 0 : 1;
  }
  const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
  const results = await runBench(options, command, progress, interruption.signal);
  const figures = computeFigures(results);
  process.stdout.write(`\n${formatReport(results, figures)}\n`);
  if (options.jsonFile !== null) {
    writeFileSync(options.jsonFile, `${JSON.stringify(resultsToJson(results, figures), null, 2)}\n`);
    process.stderr.write(`[bench] results written to ${options.jsonFile}\n`);
  }
  return 0;
}

// The bench's errors carry their exit status (errors/registry.ts: usage 2, interrupted 130, setup 1).
main().then(
  (code) => process.exit(code),
  (err: unknown) => process.exit(printError({ stderr: process.stderr, env: process.env }, 'bench', err)),
);
