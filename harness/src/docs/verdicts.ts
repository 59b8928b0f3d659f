// The outcome of verifying pages, with known drifts (the expected-failures file) taken into account.

import { resolve } from 'node:path';
import type { Drift } from './compare-response.js';
import type { ExpectedFailure } from './expected-failures.js';
import type { PageResult, StepResult } from './run-page.js';
import type { PageStep } from './types.js';

export interface DriftVerdict extends Drift {
  /** The reason from the expected-failures file, when this drift is known. */
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
  /** The page could not be read or run as written (PageFormatError, environment failure). */
  error?: string;
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
  const passed = drifts.every((drift) => drift.expectedBecause !== undefined);
  const status: StepStatus = !passed ? 'failed' : result.skipped ? 'skipped' : result.compared || drifts.length > 0 ? 'verified' : 'ran';
  return {
    step: result.step,
    status,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    label: stepLabel(result.step),
    block,
    passed,
    drifts,
    notes: result.notes,
    ...(result.printed !== undefined ? { printed: result.printed } : {}),
    ...(result.rewrite ? { rewrite: result.rewrite } : {}),
  };
}

/** A page that could not be run at all. */
export function failedPage(file: string, error: string, durationMs = 0): PageVerdict {
  return { file, status: 'failed', passed: false, steps: [], error, unmetExpectations: [], durationMs };
}
