// Known, explained drifts: a YAML list of {page, block, message, reason}. A listed drift does not fail the run;
// a listed drift that no longer happens does, so that the list never outlives its reason.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { closestName } from '../errors/similar.js';
import { formatPosition } from '../errors/source-position.js';
import { readYamlSource } from '../errors/yaml-source.js';
import { ExpectedFailuresFileError } from './errors.js';

const ENTRY_FIELDS = ['page', 'block', 'message', 'reason'];

export interface ExpectedFailure {
  /** Absolute path of the page (the file gives it relative to the repository root). */
  page: string;
  /** The line that opens the block the drift belongs to (its ``` or {{<highlight>}}). */
  block: number;
  /** The drift's message, exactly as verify-docs prints it (after `file:line: `), or a block error's problem (after `error[PAGE_INVALID]: `). */
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
  const file = readYamlSource(readFileSync(path, 'utf8'), path, ({ problem, location }) => new ExpectedFailuresFileError(location, problem));
  const document = file.value;
  if (document === null || document === undefined) return [];
  const list = (document as { expected_failures?: unknown }).expected_failures;
  if (typeof document !== 'object' || Array.isArray(document) || (list !== undefined && list !== null && !Array.isArray(list))) {
    throw new ExpectedFailuresFileError(file.positionOf(['expected_failures']), 'expected a mapping with an expected_failures list');
  }
  return ((list as unknown[] | null | undefined) ?? []).map((entry, index) => {
    const at = (field?: string) => file.positionOf(field ? ['expected_failures', index, field] : ['expected_failures', index]);
    const where = formatPosition(at());
    if (typeof entry !== 'object' || entry === null) throw new ExpectedFailuresFileError(at(), `expected_failures[${index}] must be a mapping`);
    const { page, block, message, reason, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      const guess = closestName(unknown[0], ENTRY_FIELDS);
      throw new ExpectedFailuresFileError(
        file.keyPositionOf(['expected_failures', index, unknown[0]]),
        `expected_failures[${index}] has the unknown field ${unknown[0]}`,
        `${guess ? `did you mean ${guess}? ` : ''}An entry has the fields ${ENTRY_FIELDS.join(', ')}`,
      );
    }
    if (typeof page !== 'string' || page === '') throw new ExpectedFailuresFileError(at('page'), `expected_failures[${index}].page must be the page's path`);
    if (!Number.isInteger(block) || (block as number) < 1) throw new ExpectedFailuresFileError(at('block'), `expected_failures[${index}].block must be the line number that opens the block`);
    if (typeof message !== 'string' || message === '') throw new ExpectedFailuresFileError(at('message'), `expected_failures[${index}].message must be the drift's exact message`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new ExpectedFailuresFileError(at('reason'), `expected_failures[${index}].reason must explain why the drift is known`);
    return { page: resolve(baseDir, page), block: block as number, message, reason, source: where };
  });
}
