// An error a result carries (a lab that could not run, a page block that cannot be verified as written),
// printed inside a report: the one renderer's text (errors/render.ts), indented under the line it
// belongs to and folded to the columns left beside the indent. Quoted source lines are never folded.

import type { ErrorRecord } from '../errors/labkit-error.js';
import { renderError } from '../errors/render.js';
import { errorFold } from './wrap.js';

export interface ErrorBlockOptions {
  color: boolean;
  /** Columns of the whole line, indent included. */
  width: number;
  indent?: string;
  /** Paths under it are shown (and their source lines read) relative to it; default the repository. */
  root?: string;
}

export function formatErrorBlock(error: ErrorRecord, options: ErrorBlockOptions): string {
  const indent = options.indent ?? '';
  const text = renderError(error, { color: options.color, root: options.root, fold: errorFold(Math.max(20, options.width - indent.length)) });
  return text
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
}
