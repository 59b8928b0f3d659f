// js-yaml with source positions. js-yaml reports every node it composes to a `listener` as a properly
// nested open/close pair; rebuilding that tree lets us map each path of the loaded value to line:column.

import yaml from 'js-yaml';
import type { SourcePosition } from './types.js';
import { LabSpecError } from './errors.js';

export type DocumentPath = ReadonlyArray<string | number>;

export interface YamlDocument {
  value: unknown;
  /** Position of the value at `path`, or of its nearest known ancestor. */
  positionOf(path: DocumentPath): SourcePosition;
  /** Position of the key that holds `path` (mapping entries), else of the value. */
  keyPositionOf(path: DocumentPath): SourcePosition;
}

interface NodeFrame {
  openOffset: number;
  start: number;
  kind: string | null;
  result: unknown;
  children: NodeFrame[];
}

interface Located {
  value: number;
  key?: number;
}

export function pathKey(path: DocumentPath): string {
  return JSON.stringify(path);
}

export function parseYamlWithPositions(rawText: string, file: string): YamlDocument {
  // js-yaml drops a leading BOM before parsing; do the same so offsets agree.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const lineStarts = computeLineStarts(text);
  const toPosition = (offset: number): SourcePosition => {
    const index = lastLineStartAtOrBefore(lineStarts, offset);
    return { file, line: index + 1, column: offset - lineStarts[index] + 1 };
  };

  const stack: NodeFrame[] = [];
  let root: NodeFrame | null = null;
  let value: unknown;
  try {
    value = yaml.load(text, {
      filename: file,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ openOffset: state.position, start: skipSeparation(text, state.position), kind: null, result: null, children: [] });
          return;
        }
        const frame = stack.pop();
        if (!frame) return;
        frame.kind = state.kind;
        frame.result = state.result;
        // An empty value (`key:`) has no content to point at: stay where the node opened, not on the next line.
        if (state.kind === null) frame.start = frame.openOffset;
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(frame);
        else root = frame;
      },
    });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const mark = (error as yaml.YAMLException & { mark?: { line: number; column: number } }).mark;
      const position: SourcePosition = mark ? { file, line: mark.line + 1, column: mark.column + 1 } : { file, line: 1, column: 1 };
      throw new LabSpecError(file, [{ position, path: '', message: `YAML syntax error: ${error.reason}` }]);
    }
    throw error;
  }

  const located = new Map<string, Located>();
  if (root) indexNode(root, [], located);

  const lookup = (path: DocumentPath, which: 'value' | 'key'): SourcePosition => {
    for (let length = path.length; length >= 0; length -= 1) {
      const entry = located.get(pathKey(path.slice(0, length)));
      if (!entry) continue;
      const offset = which === 'key' && length === path.length && entry.key !== undefined ? entry.key : entry.value;
      return toPosition(offset);
    }
    return { file, line: 1, column: 1 };
  };

  return {
    value,
    positionOf: (path) => lookup(path, 'value'),
    keyPositionOf: (path) => lookup(path, 'key'),
  };
}

function indexNode(node: NodeFrame, path: Array<string | number>, located: Map<string, Located>, keyOffset?: number): void {
  located.set(pathKey(path), keyOffset === undefined ? { value: node.start } : { value: node.start, key: keyOffset });
  if (node.kind === 'sequence') {
    node.children.forEach((child, index) => indexNode(child, [...path, index], located));
  } else if (node.kind === 'mapping' && node.children.length % 2 === 0) {
    // Children alternate key, value. (A flow entry without a value, `{a, b: 1}`, breaks the pairing: then
    // only the mapping itself is located, and its entries fall back to it.)
    for (let index = 0; index < node.children.length; index += 2) {
      const keyNode = node.children[index];
      indexNode(node.children[index + 1], [...path, String(keyNode.result)], located, keyNode.start);
    }
  }
}

/** Skips spaces, line breaks and comments, as js-yaml does before a node's content. */
function skipSeparation(text: string, offset: number): number {
  let position = offset;
  while (position < text.length) {
    const ch = text[position];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      position += 1;
    } else if (ch === '#' && (position === 0 || /\s/.test(text[position - 1]))) {
      while (position < text.length && text[position] !== '\n') position += 1;
    } else {
      break;
    }
  }
  return position;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') starts.push(index + 1);
  return starts;
}

function lastLineStartAtOrBefore(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
