// Known, explained drifts: a YAML list of {page, block, message, reason}. A listed drift does not fail the run;
// a listed drift that no longer happens does, so that the list never outlives its reason.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import { ExpectedFailuresFileError } from './errors.js';

export interface ExpectedFailure {
  /** Absolute path of the page (the file gives it relative to the repository root). */
  page: string;
  /** The line that opens the block the drift belongs to (its ``` or {{<highlight>}}). */
  block: number;
  /** The drift's message, exactly as verify-docs prints it (after `file:line: `). */
  message: string;
  reason: string;
  /** Where the entry is, for messages. */
  source: string;
}

/**
 * Reads `expected_failures:` from `path`. Page paths in the file are relative to `baseDir` (the repository root,
 * so that the same file works wherever verify-docs is started from).
 */
export function loadExpectedFailures(path: string, baseDir: string = dirname(resolve(path))): ExpectedFailure[] {
  if (!existsSync(path)) return [];
  let document: unknown;
  try {
    document = yaml.load(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ExpectedFailuresFileError(path, `not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (document === null || document === undefined) return [];
  const list = (document as { expected_failures?: unknown }).expected_failures;
  if (typeof document !== 'object' || Array.isArray(document) || (list !== undefined && list !== null && !Array.isArray(list))) {
    throw new ExpectedFailuresFileError(path, 'expected a mapping with an expected_failures list');
  }
  return ((list as unknown[] | null | undefined) ?? []).map((entry, index) => {
    const where = `${path}: expected_failures[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new ExpectedFailuresFileError(path, `expected_failures[${index}] must be a mapping`);
    const { page, block, message, reason, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ExpectedFailuresFileError(path, `expected_failures[${index}] has unknown field ${unknown[0]}; use page, block, message, reason`);
    if (typeof page !== 'string' || page === '') throw new ExpectedFailuresFileError(path, `expected_failures[${index}].page must be the page's path`);
    if (!Number.isInteger(block) || (block as number) < 1) throw new ExpectedFailuresFileError(path, `expected_failures[${index}].block must be the line number that opens the block`);
    if (typeof message !== 'string' || message === '') throw new ExpectedFailuresFileError(path, `expected_failures[${index}].message must be the drift's exact message`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new ExpectedFailuresFileError(path, `expected_failures[${index}].reason must explain why the drift is known`);
    return { page: resolve(baseDir, page), block: block as number, message, reason, source: where };
  });
}
