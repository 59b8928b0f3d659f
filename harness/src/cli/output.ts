// Where a command writes: people's output on stdout, or on stderr when --json owns stdout.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { colorEnabled } from '../report/color.js';
import { formatJsonReport } from '../report/json.js';
import { toJUnitXml } from '../report/junit.js';
import type { LabResult } from '../runner/results.js';
import type { CommandOptions } from './args.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CommandIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Where the labs are (default: the repository's labs/). */
  labsDir?: string;
  /** Resolves when `--keep` should end (default: Ctrl-C or SIGTERM). */
  waitForStop?: () => Promise<void>;
}

export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export interface Printer {
  color: boolean;
  say(text: string): void;
}

export function humanPrinter(io: CommandIo, options: CommandOptions): Printer {
  const stream = options.json ? io.stderr : io.stdout;
  return {
    color: colorEnabled(stream, io.env),
    say: (text) => {
      stream.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/** --junit FILE and --json. */
export function writeMachineReports(options: CommandOptions, results: LabResult[], io: CommandIo, printer: Printer): void {
  if (options.junit) {
    mkdirSync(dirname(options.junit), { recursive: true });
    writeFileSync(options.junit, toJUnitXml(results));
    printer.say(`JUnit report written to ${options.junit}`);
  }
  if (options.json) io.stdout.write(formatJsonReport(results));
}

export function waitForInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
