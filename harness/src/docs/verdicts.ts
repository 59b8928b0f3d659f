// The outcome of verifying pages, with known drifts (the expected-failures file) taken into account.

import { resolve } from 'node:path';
import type { Drift } from './compare-response.js';
import type { ExpectedFailure } from './expected-failures.js';
import type { PageResult, StepResult } from './run-page.js';
import type { PageStep } from './types.js';
import type { ErrorRecord } from '../errors/labkit-error.js';

export interface DriftVerdict extends Drift {
  /** The reason from the expected-failures file, when this drift is known. */
  expectedBecause?: string;
}

/** A step the page writes so that it cannot run (PAGE_INVALID), waived like a drift when the expected-failures file names its problem. */
export interface StepErrorVerdict extends ErrorRecord {
  expectedBecause?: string;
}

/** verified: a documented output matched; ran: nothing documented to compare; skipped: not run, with a reason. */
export type StepStatus = 'verified' | 'ran' | 'skipped' | 'failed';
export type PageStatus = 'passed' | 'failed' | 'skipped';

export interface StepVerdict {
  step: PageStep;
  status: StepStatus;
  /** Why the step was skipped. */
  skipped?: string;
  /** `curl --head $DATA_PLANE_LB/… → output L343`. */
  label: string;
  /** The line that opens the step's output block, else its command block: what the expected-failures file names. */
  block: number;
  passed: boolean;
  drifts: DriftVerdict[];
  /** Why the step could not run as the page writes it: code, location, problem and fix (not a drift: nothing was compared). */
  error?: StepErrorVerdict;
  notes: string[];
  /** What the command printed (for --verbose on a drift). */
  printed?: string;
  rewrite?: StepResult['rewrite'];
}

export interface PageVerdict {
  file: string;
  /** The page's path as given (for --update). */
  path?: string;
  /** Skipped: every step was skipped, or the page is not verifiable (see skipReason). Only failed fails the run. */
  status: PageStatus;
  /** status === 'passed'. */
  passed: boolean;
  skipReason?: string;
  steps: StepVerdict[];
  /** The page could not be read or run at all (a PageFormatError, an environment that did not start): code, location, problem, fix. */
  error?: ErrorRecord;
  /** Entries of the expected-failures file for this page that did not happen. */
  unmetExpectations: ExpectedFailure[];
  durationMs: number;
  /** How its commands ran: in bash (real curl, bin/deck), or on the built-in emulation. */
  shell?: 'bash' | 'builtin';
}

/** The block an output belongs to: what the expected-failures file and the report name. */
function outputBlock(step: PageStep): number | undefined {
  if (step.kind === 'request') return step.documented?.blockLine ?? step.documentedText?.blockLine;
  if (step.kind === 'deck') return step.documented?.blockLine;
  if (step.kind === 'skip' || step.kind === 'scale') return step.documentedLine;
  return undefined;
}

export function stepBlockOf(step: PageStep): number {
  return outputBlock(step) ?? step.blockLine;
}

export function stepLabel(step: PageStep): string {
  const command = step.command.split('\n')[0] + (step.command.includes('\n') ? ' …' : '');
  const output = outputBlock(step);
  return output !== undefined && output !== step.blockLine ? `${command} → output L${output}` : command;
}

export function judgePage(result: PageResult, expected: ExpectedFailure[]): PageVerdict {
  const forPage = expected.filter((entry) => entry.page === resolve(result.file));
  const used = new Set<ExpectedFailure>();
  const steps = result.steps.map((step) => judgeStep(step, forPage, used));
  const unmetExpectations = forPage.filter((entry) => !used.has(entry));
  const failed = steps.some((step) => !step.passed) || unmetExpectations.length > 0;
  // Writing a file, setting a variable or switching Redis verifies nothing: a page is run when a command reached the gateway.
  const reached = steps.some((step) => (step.status === 'verified' || step.status === 'ran') && !['write-file', 'export', 'redis'].includes(step.step.kind));
  const skipReason = result.notVerifiable ?? (reached ? undefined : steps.length === 0 ? 'no commands to run' : 'every step was skipped');
  const status: PageStatus = failed ? 'failed' : skipReason ? 'skipped' : 'passed';
  return {
    file: result.file,
    steps,
    unmetExpectations,
    status,
    passed: status === 'passed',
    ...(skipReason && !failed ? { skipReason } : {}),
    durationMs: result.durationMs,
  };
}

function judgeStep(result: StepResult, expected: ExpectedFailure[], used: Set<ExpectedFailure>): StepVerdict {
  const block = stepBlockOf(result.step);
  const drifts = result.drifts.map((drift): DriftVerdict => {
    const known = expected.find((entry) => entry.block === block && entry.message === drift.message);
    if (!known) return drift;
    used.add(known);
    return { ...drift, expectedBecause: known.reason };
  });
  const error = result.error ? judgeError(result.error, block, expected, used) : undefined;
  const passed = drifts.every((drift) => drift.expectedBecause !== undefined) && (error === undefined || error.expectedBecause !== undefined);
  const status: StepStatus = !passed ? 'failed' : result.skipped ? 'skipped' : result.compared || drifts.length > 0 || error ? 'verified' : 'ran';
  return {
    step: result.step,
    status,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    label: stepLabel(result.step),
    block,
    passed,
    drifts,
    ...(error ? { error } : {}),
    notes: result.notes,
    ...(result.printed !== undefined ? { printed: result.printed } : {}),
    ...(result.rewrite ? { rewrite: result.rewrite } : {}),
  };
}

/** An expected-failures entry names a step's error by its problem, as it names a drift by its message. */
function judgeError(error: ErrorRecord, block: number, expected: ExpectedFailure[], used: Set<ExpectedFailure>): StepErrorVerdict {
  const known = expected.find((entry) => entry.block === block && entry.message === error.problem);
  if (!known) return error;
  used.add(known);
  return { ...error, expectedBecause: known.reason };
}

/** A page that could not be run at all. */
export function failedPage(file: string, error: ErrorRecord, durationMs = 0): PageVerdict {
  return { file, status: 'failed', passed: false, steps: [], error, unmetExpectations: [], durationMs };
}

export interface VerdictSummary {
  pages: { total: number; passed: number; failed: number; skipped: number };
  blocks: { total: number; verified: number; ran: number; skipped: number; failed: number };
  /** Drifts not in the expected-failures file. */
  drifts: number;
  /** Pages and blocks that cannot be verified as written (or could not run), not in the expected-failures file. */
  errors: number;
  /** Drifts and errors the expected-failures file explains. */
  known: number;
}

/** The counts the report's last line and the JSON report give. */
export function summariseVerdicts(pages: PageVerdict[]): VerdictSummary {
  const steps = pages.flatMap((page) => page.steps);
  const count = <T>(items: T[], test: (item: T) => boolean): number => items.filter(test).length;
  const drifts = steps.flatMap((step) => step.drifts);
  return {
    pages: { total: pages.length, passed: count(pages, (p) => p.status === 'passed'), failed: count(pages, (p) => p.status === 'failed'), skipped: count(pages, (p) => p.status === 'skipped') },
    blocks: {
      total: steps.length,
      verified: count(steps, (s) => s.status === 'verified'),
      ran: count(steps, (s) => s.status === 'ran'),
      skipped: count(steps, (s) => s.status === 'skipped'),
      failed: count(steps, (s) => s.status === 'failed'),
    },
    drifts: count(drifts, (drift) => !drift.expectedBecause),
    errors: count(pages, (page) => page.error !== undefined) + count(steps, (step) => step.error !== undefined && !step.error.expectedBecause),
    known: count(drifts, (drift) => drift.expectedBecause !== undefined) + count(steps, (step) => step.error?.expectedBecause !== undefined),
  };
}
