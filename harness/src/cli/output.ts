// Where a command writes: people's output on stdout, or on stderr when --json owns stdout; folded to
// the terminal's width.

import { colorEnabled } from '../terminal/color.js';
import { formatJsonReport } from '../report/json.js';
import { toJUnitXml, writeJUnitFile } from '../report/junit.js';
import { foldRow } from '../report/wrap.js';
import type { LabResult } from '../runner/results.js';
import type { CommandOptions } from './args.js';
import { outputWidth } from '../terminal/output-stream.js';
import { processStreams, type OutputStream } from './process-streams.js';

export type { OutputStream } from './process-streams.js';

export interface CommandIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Where the labs are (default: the repository's labs/). */
  labsDir?: string;
  /** Resolves when `--keep` should end (default: Ctrl-C or SIGTERM). */
  waitForStop?: () => Promise<unknown>;
}

export function processIo(): CommandIo {
  return { ...processStreams(), env: process.env };
}

export interface Printer {
  color: boolean;
  /** Columns the output is folded to. */
  width: number;
  verbose: boolean;
  say(text: string): void;
  /** Text already folded to `width` (a rendered error, whose quoted source line must stay whole). */
  write(text: string): void;
}

export function humanPrinter(io: CommandIo, options: Pick<CommandOptions, 'json' | 'verbose'>): Printer {
  const stream = options.json ? io.stderr : io.stdout;
  const width = outputWidth(stream, io.env);
  return {
    color: colorEnabled(stream, io.env),
    width,
    verbose: options.verbose,
    say: (text) => {
      const folded = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').flatMap((line) => foldRow(line, width)).join('\n');
      stream.write(`${folded}\n`);
    },
    write: (text) => void stream.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

/** --junit FILE and --json. */
export function writeMachineReports(options: CommandOptions, results: LabResult[], io: CommandIo, printer: Printer): void {
  if (options.junit) {
    writeJUnitFile(options.junit, toJUnitXml(results));
    printer.say(`JUnit report written to ${options.junit}`);
  }
  if (options.json) io.stdout.write(formatJsonReport(results));
}
