// The machine-readable result (`--json`): the result model as it is, with a summary and a format tag.

import type { LabResult, RunSummary } from '../runner/results.js';
import { summarise } from '../runner/results.js';

export const JSON_REPORT_FORMAT = 'kong-labkit/lab-results@1';

export interface JsonReport {
  format: typeof JSON_REPORT_FORMAT;
  passed: boolean;
  summary: RunSummary;
  labs: LabResult[];
}

export function toJsonReport(results: LabResult[]): JsonReport {
  const summary = summarise(results);
  return { format: JSON_REPORT_FORMAT, passed: summary.passed, summary, labs: results };
}

export function formatJsonReport(results: LabResult[]): string {
  return `${JSON.stringify(toJsonReport(results), null, 2)}\n`;
}
