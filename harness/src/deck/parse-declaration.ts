// Reads a declaration (YAML, or JSON, which YAML contains) with js-yaml and remembers where every
// mapping and sequence starts, so later errors can point at file:line:column.

import yaml from 'js-yaml';
import { SyncError, type SourcePosition } from './errors.js';

export type Declaration = Record<string, unknown>;

export interface ParsedDeclaration {
  readonly source: string;
  readonly document: Declaration;
  /** Where a mapping or sequence of the document starts; undefined for objects made later. */
  positionOf(node: unknown): SourcePosition | undefined;
  /** Where a top-level key is written (YAML `key:` at column 1, or JSON `"key":`). */
  keyPosition(key: string): SourcePosition | undefined;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function toPosition(starts: number[], offset: number): SourcePosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

/** js-yaml reports where a node's parsing began, which may be before blank lines or comments. */
function skipToContent(text: string, offset: number): number {
  let at = offset;
  while (at < text.length) {
    if (/\s/.test(text[at])) at += 1;
    else if (text[at] === '#') while (at < text.length && text[at] !== '\n') at += 1;
    else break;
  }
  return at;
}

export function parseDeclaration(text: string, source: string): ParsedDeclaration {
  const starts = lineStarts(text);
  const offsets = new WeakMap<object, number>();
  const openedAt: number[] = [];
  let document: unknown;
  try {
    document = yaml.load(text, {
      filename: source,
      listener(event, state) {
        if (event === 'open') {
          openedAt.push(state.position);
          return;
        }
        const opened = openedAt.pop() ?? 0;
        const result: unknown = state.result;
        if (result !== null && typeof result === 'object' && !offsets.has(result)) {
          offsets.set(result, skipToContent(text, opened));
        }
      },
    });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const mark = err.mark as { line?: number; column?: number; snippet?: string } | undefined;
      const position = mark && typeof mark.line === 'number' ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : undefined;
      const snippet = mark?.snippet ? `\n${mark.snippet}` : '';
      throw new SyncError(source, `invalid YAML: ${err.reason}${snippet}`, position);
    }
    throw err;
  }

  if (document === undefined || document === null) {
    throw new SyncError(source, 'the declaration is empty: expected a mapping with at least `_format_version: "3.0"`');
  }
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new SyncError(source, `the declaration must be a mapping (key: value), not ${Array.isArray(document) ? 'a list' : 'a single value'}`, { line: 1, column: 1 });
  }

  return {
    source,
    document: document as Declaration,
    positionOf(node) {
      if (node === null || typeof node !== 'object') return undefined;
      const offset = offsets.get(node);
      return offset === undefined ? undefined : toPosition(starts, offset);
    },
    keyPosition(key) {
      const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const match = new RegExp(`^(?:${escaped}|"${escaped}"|'${escaped}')\\s*:|"${escaped}"\\s*:`, 'm').exec(text);
      return match ? toPosition(starts, match.index) : undefined;
    },
  };
}
