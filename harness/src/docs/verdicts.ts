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

export interface StepVerdict {
  step: PageStep;
  /** `curl --head $DATA_PLANE_LB/… → output L343`. */
  label: string;
  /** The line that opens the step's output block, else its command block: what the expected-failures file names. */
  block: number;
  passed: boolean;
  drifts: DriftVerdict[];
  notes: string[];
}

export interface PageVerdict {
  file: string;
  passed: boolean;
  steps: StepVerdict[];
  /** The page could not be read or run as written (PageFormatError, environment failure). */
  error?: string;
  /** Entries of the expected-failures file for this page that did not happen. */
  unmetExpectations: ExpectedFailure[];
  durationMs: number;
}

export function stepBlock(step: PageStep): number {
  return step.kind === 'request' && step.documented ? step.documented.blockLine : step.blockLine;
}

export function stepLabel(step: PageStep): string {
  const command = step.command;
  if (step.kind === 'request' && step.documented) return `${command} → output L${step.documented.blockLine}`;
  return command;
}

export function judgePage(result: PageResult, expected: ExpectedFailure[]): PageVerdict {
  const forPage = expected.filter((entry) => entry.page === resolve(result.file));
  const used = new Set<ExpectedFailure>();
  const steps = result.steps.map((step) => judgeStep(step, forPage, used));
  const unmetExpectations = forPage.filter((entry) => !used.has(entry));
  return {
    file: result.file,
    steps,
    unmetExpectations,
    passed: steps.every((step) => step.passed) && unmetExpectations.length === 0,
    durationMs: result.durationMs,
  };
}

function judgeStep(result: StepResult, expected: ExpectedFailure[], used: Set<ExpectedFailure>): StepVerdict {
  const block = stepBlock(result.step);
  const drifts = result.drifts.map((drift): DriftVerdict => {
    const known = expected.find((entry) => entry.block === block && entry.message === drift.message);
    if (!known) return drift;
    used.add(known);
    return { ...drift, expectedBecause: known.reason };
  });
  return {
    step: result.step,
    label: stepLabel(result.step),
    block,
    passed: drifts.every((drift) => drift.expectedBecause !== undefined),
    drifts,
    notes: result.notes,
  };
}

/** A page that could not be run at all. */
export function failedPage(file: string, error: string, durationMs = 0): PageVerdict {
  return { file, passed: false, steps: [], error, unmetExpectations: [], durationMs };
}
