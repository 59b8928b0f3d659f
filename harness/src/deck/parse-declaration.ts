// Reads a declaration (YAML, or JSON, which YAML contains) and keeps where every part of it is
// written (errors/yaml-source.ts), so later errors can point at file:line:column.

import { readYamlSource } from '../errors/yaml-source.js';
import { DeclarationError, type SourcePosition } from './errors.js';

export type Declaration = Record<string, unknown>;

export interface ParsedDeclaration {
  readonly source: string;
  readonly document: Declaration;
  /** Where a mapping or sequence of the document starts; undefined for objects made later. */
  positionOf(node: unknown): SourcePosition | undefined;
  /** Where a top-level key is written (YAML `key:`, or JSON `"key":`); undefined when it is not. */
  keyPosition(key: string): SourcePosition | undefined;
  /** Where the field `config.key_names` of an entity of the document is written (its key); undefined when it is not. */
  fieldPosition(node: unknown, field: string): SourcePosition | undefined;
}

export function parseDeclaration(text: string, source: string): ParsedDeclaration {
  const file = readYamlSource(text, source, ({ problem, location }) => new DeclarationError(source, problem.replace(/^YAML syntax error/, 'invalid YAML'), location));
  const document = file.value;
  if (document === undefined || document === null) {
    throw new DeclarationError(source, 'the declaration is empty: expected a mapping with at least `_format_version: "3.0"`');
  }
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new DeclarationError(source, `the declaration must be a mapping (key: value), not ${Array.isArray(document) ? 'a list' : 'a single value'}`, { line: 1, column: 1 });
  }
  return {
    source,
    document: document as Declaration,
    positionOf: (node) => file.positionOfNode(node),
    keyPosition: (key) => file.find([key], 'key'),
    fieldPosition(node, field) {
      const path = file.pathOfNode(node);
      return path ? file.find([...path, ...field.split('.')], 'key') : undefined;
    },
  };
}
