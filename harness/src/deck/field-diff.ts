// The field diff decK prints under `updating …  {`: gojsondiff's ASCII layout (one marker column,
// ' ' unchanged, '-' old, '+' new), kept compact: only the changed fields plus the entity's id and
// name for context. Secret-looking fields are masked, whatever their value.

import type { RawEntity } from './entity-model.js';

const CONTEXT_FIELDS = new Set(['id', 'name', 'username']);
const SECRET_FIELD = /^(key|password|secret|token|credentials?)$|_(password|secret|token|key)$/i;

interface Line {
  marker: ' ' | '-' | '+';
  depth: number;
  text: string;
  comma: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An entity with its secret-looking fields masked (for `--json-output`). */
export function maskSecrets(entity: Record<string, unknown> | null): Record<string, unknown> | null {
  if (entity === null) return null;
  return Object.fromEntries(Object.entries(entity).map(([field, value]) => [field, SECRET_FIELD.test(field) && value !== null ? '[masked]' : value]));
}

function show(field: string, value: unknown): string {
  return JSON.stringify(SECRET_FIELD.test(field) && value !== null ? '[masked]' : value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function renderObject(before: Record<string, unknown>, after: Record<string, unknown>, depth: number, top: boolean): Line[][] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const entries: Line[][] = [];
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    const label = JSON.stringify(key);
    if (same(a, b)) {
      if (top && CONTEXT_FIELDS.has(key) && a !== undefined) entries.push([{ marker: ' ', depth, text: `${label}: ${show(key, a)}`, comma: false }]);
      continue;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      const inner = renderObject(a, b, depth + 1, false);
      entries.push([{ marker: ' ', depth, text: `${label}: {`, comma: false }, ...inner.flat(), { marker: ' ', depth, text: '}', comma: false }]);
      continue;
    }
    const lines: Line[] = [];
    if (a !== undefined) lines.push({ marker: '-', depth, text: `${label}: ${show(key, a)}`, comma: false });
    if (b !== undefined) lines.push({ marker: '+', depth, text: `${label}: ${show(key, b)}`, comma: false });
    entries.push(lines);
  }
  // JSON commas: after every entry but the last (both lines of a -/+ pair end the same entry).
  entries.forEach((lines, index) => {
    if (index === entries.length - 1) return;
    const last = lines[lines.length - 1];
    if (last.text === '}') last.comma = true;
    else for (const line of lines) if (line.marker !== ' ' || line === last) line.comma = true;
  });
  return entries;
}

/** `{` … ` }` as decK prints after `updating <kind> <name>  `. */
export function renderFieldDiff(before: RawEntity, after: RawEntity): string {
  const lines = renderObject(before, after, 1, true).flat();
  const body = lines.map((line) => `${line.marker}${'  '.repeat(line.depth)}${line.text}${line.comma ? ',' : ''}`);
  return ['{', ...body, ' }'].join('\n');
}
