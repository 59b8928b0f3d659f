// A YAML (or JSON) file with the position of everything in it. js-yaml loads the value, as everywhere
// else in the kit; the `yaml` package's parseDocument and LineCounter say where each part is written,
// found by walking its document tree beside the loaded value. One loader per job: README, Dependencies.
//
// Only an error needs a position, and most runs have none: the `yaml` package is loaded, and the file
// parsed a second time, on the first position asked for, so a command that finds nothing wrong never
// pays for it (`npm run reset` and `goto` read lab files on every run).

import { createRequire } from 'node:module';
import jsYaml from 'js-yaml';
import type { Node as YamlNode } from 'yaml';
import type { SourcePosition } from './source-position.js';

type YamlPackage = typeof import('yaml');
let yamlPackage: YamlPackage | undefined;

function loadYamlPackage(): YamlPackage {
  yamlPackage ??= createRequire(import.meta.url)('yaml') as YamlPackage;
  return yamlPackage;
}

export type DocumentPath = ReadonlyArray<string | number>;

export interface YamlSource {
  readonly value: unknown;
  /** Where the value at `path` is written, or its nearest ancestor; never undefined (1:1 at worst). */
  positionOf(path: DocumentPath): SourcePosition;
  /** Where the key that holds `path` is written (mapping entries), else as positionOf. */
  keyPositionOf(path: DocumentPath): SourcePosition;
  /** Where exactly `path` is written (its key with `key`), or undefined when it is not in the file. */
  find(path: DocumentPath, which?: 'value' | 'key'): SourcePosition | undefined;
  /** Where a mapping or sequence of `value` starts; undefined for objects that are not from the file. */
  positionOfNode(node: unknown): SourcePosition | undefined;
  /** The path of a mapping or sequence of `value` (where it is first written); undefined as above. */
  pathOfNode(node: unknown): DocumentPath | undefined;
}

/** What the file's own loader reported: the text is not YAML. */
export interface YamlSyntaxProblem {
  problem: string;
  location: SourcePosition;
}

interface Offsets {
  value: number;
  key?: number;
}

export function pathKey(path: DocumentPath): string {
  return JSON.stringify(path);
}

/** Loads `text`; a syntax error is turned into the caller's error by `syntaxError`. */
export function readYamlSource(rawText: string, file: string, syntaxError: (problem: YamlSyntaxProblem) => Error): YamlSource {
  // js-yaml drops a leading BOM; do the same for the positions so that columns agree.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  let value: unknown;
  try {
    value = jsYaml.load(text, { filename: file });
  } catch (error) {
    if (!(error instanceof jsYaml.YAMLException)) throw error;
    const mark = error.mark as { line?: number; column?: number } | undefined;
    const location = mark && typeof mark.line === 'number' ? { file, line: mark.line + 1, column: (mark.column ?? 0) + 1 } : { file, line: 1, column: 1 };
    throw syntaxError({ problem: `YAML syntax error: ${error.reason}`, location });
  }

  let located: { byPath: Map<string, Offsets>; byNode: WeakMap<object, { offset: number; path: DocumentPath }>; toPosition(offset: number): SourcePosition } | undefined;
  const locate = () => {
    if (located) return located;
    const yaml = loadYamlPackage();
    const lineCounter = new yaml.LineCounter();
    // js-yaml has accepted the text: whatever the second parser thinks of it, only its positions are used.
    const document = yaml.parseDocument(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: false });
    located = {
      byPath: new Map(),
      byNode: new WeakMap(),
      toPosition(offset) {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line, column: col };
      },
    };
    index(yaml, document.contents, value, [], located.byPath, located.byNode);
    return located;
  };

  const find = (path: DocumentPath, which: 'value' | 'key' = 'value'): SourcePosition | undefined => {
    const { byPath, toPosition } = locate();
    const entry = byPath.get(pathKey(path));
    if (!entry) return undefined;
    return toPosition(which === 'key' && entry.key !== undefined ? entry.key : entry.value);
  };
  const nearest = (path: DocumentPath, which: 'value' | 'key'): SourcePosition => {
    for (let length = path.length; length >= 0; length -= 1) {
      const found = find(path.slice(0, length), length === path.length ? which : 'value');
      if (found) return found;
    }
    return { file, line: 1, column: 1 };
  };
  return {
    value,
    positionOf: (path) => nearest(path, 'value'),
    keyPositionOf: (path) => nearest(path, 'key'),
    find,
    positionOfNode(node) {
      if (node === null || typeof node !== 'object') return undefined;
      const { byNode, toPosition } = locate();
      const entry = byNode.get(node);
      return entry === undefined ? undefined : toPosition(entry.offset);
    },
    pathOfNode: (node) => (node !== null && typeof node === 'object' ? locate().byNode.get(node)?.path : undefined),
  };
}

/**
 * Walks the document tree and the loaded value together. An alias is located where it is written and
 * not walked into (its anchor was, once), so a file of nested aliases costs its length, not its expansion.
 */
function index(yaml: YamlPackage, node: YamlNode | null | undefined, value: unknown, path: Array<string | number>, byPath: Map<string, Offsets>, byNode: WeakMap<object, { offset: number; path: DocumentPath }>, keyOffset?: number): void {
  if (!node?.range) return;
  // An empty value (`key:`) has no text of its own: point at its key.
  const { isAlias, isMap, isScalar, isSeq } = yaml;
  const empty = isScalar(node) && node.value === null && node.range[0] === node.range[1];
  const start = empty && keyOffset !== undefined ? keyOffset : node.range[0];
  byPath.set(pathKey(path), keyOffset === undefined ? { value: start } : { value: start, key: keyOffset });
  if (isAlias(node)) return;
  if (value !== null && typeof value === 'object' && !byNode.has(value)) byNode.set(value, { offset: start, path });
  if (isSeq(node) && Array.isArray(value)) {
    node.items.forEach((item, position) => index(yaml, item as YamlNode, value[position], [...path, position], byPath, byNode));
  } else if (isMap(node) && value !== null && typeof value === 'object') {
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      if (!key?.range) continue;
      const name = isScalar(key) ? String(key.value) : String(key);
      if (name === '<<') continue;
      index(yaml, pair.value as YamlNode | null, (value as Record<string, unknown>)[name], [...path, name], byPath, byNode, key.range[0]);
    }
  }
}
