// verify-docs' machine-readable result (`--json`): per page and block its status, the drifts (documented
// vs got), and an error where the page or a block cannot be verified as written, with its code, location
// (file, line, column), problem and fix. The parsed step itself (heredoc bodies, documented blocks) stays out.

import type { ErrorRecord } from '../errors/labkit-error.js';
import type { ExpectedFailure } from './expected-failures.js';
import type { PageStep } from './types.js';
import { summariseVerdicts, type DriftVerdict, type PageStatus, type PageVerdict, type StepErrorVerdict, type StepStatus, type VerdictSummary } from './verdicts.js';

export const DOCS_JSON_FORMAT = 'kong-labkit/verify-docs@1';

export interface JsonStep {
  /** The command's line (for an output block read on its own: the block's). */
  line: number;
  kind: PageStep['kind'];
  label: string;
  /** The line that opens the step's output block, else its command block: what the expected-failures file names. */
  block: number;
  status: StepStatus;
  skipped?: string;
  drifts: DriftVerdict[];
  error?: StepErrorVerdict;
  notes: string[];
}

export interface JsonPage {
  file: string;
  status: PageStatus;
  skipReason?: string;
  error?: ErrorRecord;
  durationMs: number;
  shell?: 'bash' | 'builtin';
  steps: JsonStep[];
  /** Entries of the expected-failures file for this page that did not happen. */
  unmetExpectations: Array<Pick<ExpectedFailure, 'block' | 'message' | 'source'>>;
}

export interface DocsJsonReport {
  format: typeof DOCS_JSON_FORMAT;
  passed: boolean;
  summary: VerdictSummary;
  pages: JsonPage[];
}

export function toDocsJsonReport(pages: PageVerdict[]): DocsJsonReport {
  return {
    format: DOCS_JSON_FORMAT,
    passed: pages.every((page) => page.status !== 'failed'),
    summary: summariseVerdicts(pages),
    pages: pages.map((page) => ({
      file: page.file,
      status: page.status,
      ...(page.skipReason !== undefined ? { skipReason: page.skipReason } : {}),
      ...(page.error ? { error: page.error } : {}),
      durationMs: page.durationMs,
      ...(page.shell ? { shell: page.shell } : {}),
      steps: page.steps.map((step) => ({
        line: step.step.at.line,
        kind: step.step.kind,
        label: step.label,
        block: step.block,
        status: step.status,
        ...(step.skipped !== undefined ? { skipped: step.skipped } : {}),
        drifts: step.drifts,
        ...(step.error ? { error: step.error } : {}),
        notes: step.notes,
      })),
      unmetExpectations: page.unmetExpectations.map(({ block, message, source }) => ({ block, message, source })),
    })),
  };
}

export function formatDocsJsonReport(pages: PageVerdict[]): string {
  return `${JSON.stringify(toDocsJsonReport(pages), null, 2)}\n`;
}
