// A small interpreter for the JSON-Schema (draft-07) subset that labs/lab.schema.json uses, so the harness and
// editors apply the same rules. Messages say what was expected at the exact place. A keyword it does not know
// makes it throw: the schema cannot grow a rule the harness would silently skip.

import { closestName } from '../errors/similar.js';

export type JsonSchema = { [keyword: string]: unknown } | boolean;

export interface SchemaIssue {
  path: Array<string | number>;
  /** Point at the key (unknown or disallowed fields) or at the value. */
  at: 'key' | 'value';
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', 'definitions', '$comment']);
const KEYWORDS = new Set([
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties',
  'items', 'minItems', 'maxItems', 'minLength', 'pattern', 'minimum', 'maximum', 'anyOf', 'oneOf', 'not', 'if', 'then',
  'else', 'format',
]);

export class SchemaValidator {
  constructor(private readonly root: { [keyword: string]: unknown }) {}

  validate(value: unknown): SchemaIssue[] {
    return this.check(value, this.root, []);
  }

  private check(value: unknown, schema: JsonSchema, path: Array<string | number>): SchemaIssue[] {
    if (schema === true) return [];
    if (schema === false) return [{ path, at: 'value', message: 'no value is allowed here' }];
    for (const keyword of Object.keys(schema)) {
      if (!KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword)) {
        throw new Error(`lab.schema.json uses "${keyword}", which the harness's schema validator does not implement; add it to harness/src/spec/schema-validator.ts`);
      }
    }
    if (typeof schema.$ref === 'string') return this.check(value, this.resolve(schema.$ref), path);

    if (schema.type !== undefined) {
      const types = asArray(schema.type) as string[];
      if (!types.some((type) => hasType(value, type))) {
        const hint = types.includes('string') && typeof value === 'number' ? ` (quote it: "${value}")` : '';
        return [{ path, at: 'value', message: `expected ${joinOr(types.map(typePhrase))}, got ${describeValue(value)}${hint}` }];
      }
    }

    const issues: SchemaIssue[] = [];
    if (schema.enum !== undefined && !(schema.enum as unknown[]).some((option) => deepEqual(option, value))) {
      issues.push({ path, at: 'value', message: `expected one of ${(schema.enum as unknown[]).map((o) => JSON.stringify(o)).join(', ')}, got ${describeValue(value)}` });
    }
    if (schema.const !== undefined && !deepEqual(schema.const, value)) {
      issues.push({ path, at: 'value', message: `expected ${JSON.stringify(schema.const)}, got ${describeValue(value)}` });
    }
    if (typeof value === 'string') issues.push(...this.checkString(value, schema, path));
    if (typeof value === 'number') issues.push(...checkNumber(value, schema, path));
    if (Array.isArray(value)) issues.push(...this.checkArray(value, schema, path));
    if (isMapping(value)) issues.push(...this.checkMapping(value, schema, path));

    if (schema.anyOf !== undefined) issues.push(...this.checkAlternatives(value, schema.anyOf as JsonSchema[], path, 'any'));
    if (schema.oneOf !== undefined) issues.push(...this.checkAlternatives(value, schema.oneOf as JsonSchema[], path, 'one'));
    if (schema.if !== undefined) {
      // if/then/else picks the schema a value is meant for (a list item that is a check or a step), so its issues are that schema's own.
      const holds = this.check(value, schema.if as JsonSchema, path).length === 0;
      if (holds && schema.then !== undefined) issues.push(...this.checkThen(value, schema.if as JsonSchema, schema.then as JsonSchema, path));
      if (!holds && schema.else !== undefined) issues.push(...this.check(value, schema.else as JsonSchema, path));
    }
    if (schema.not !== undefined && this.check(value, schema.not as JsonSchema, path).length === 0) {
      issues.push({ path, at: 'value', message: `this value is not allowed here (${schemaTitle(this.resolveIfRef(schema.not as JsonSchema))})` });
    }
    return issues;
  }

  private checkString(value: string, schema: { [keyword: string]: unknown }, path: Array<string | number>): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
      issues.push({ path, at: 'value', message: schema.minLength === 1 ? 'expected a non-empty string' : `expected at least ${schema.minLength} characters` });
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      const why = typeof schema.description === 'string' ? ` (${schema.description})` : '';
      issues.push({ path, at: 'value', message: `${JSON.stringify(value)} does not have the expected form /${schema.pattern}/${why}` });
    }
    if (schema.format === 'regex') {
      try {
        new RegExp(value, 'u');
      } catch (error) {
        issues.push({ path, at: 'value', message: `expected a regular expression: ${(error as Error).message}` });
      }
    }
    return issues;
  }

  private checkArray(value: unknown[], schema: { [keyword: string]: unknown }, path: Array<string | number>): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    const min = typeof schema.minItems === 'number' ? schema.minItems : undefined;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    if ((min !== undefined && value.length < min) || (max !== undefined && value.length > max)) {
      const wanted = min !== undefined && min === max ? `exactly ${min}` : max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `${min} to ${max}`;
      issues.push({ path, at: 'value', message: `expected ${wanted} item${wanted === 'exactly 1' || wanted === 'at least 1' ? '' : 's'}, got ${value.length}` });
    }
    if (schema.items !== undefined) {
      value.forEach((item, index) => issues.push(...this.check(item, schema.items as JsonSchema, [...path, index])));
    }
    return issues;
  }

  private checkMapping(value: Record<string, unknown>, schema: { [keyword: string]: unknown }, path: Array<string | number>): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const known = Object.keys(properties);
    for (const name of asArray(schema.required ?? []) as string[]) {
      if (!(name in value)) issues.push({ path, at: 'value', message: `missing required field "${name}"` });
    }
    if (typeof schema.minProperties === 'number' && Object.keys(value).length < schema.minProperties) {
      issues.push({ path, at: 'value', message: known.length > 0 ? `expected at least one of: ${known.join(', ')}` : `expected at least ${schema.minProperties} entries` });
    }
    for (const [name, item] of Object.entries(value)) {
      if (schema.propertyNames !== undefined) {
        for (const issue of this.check(name, schema.propertyNames as JsonSchema, [...path, name])) {
          issues.push({ path: issue.path, at: 'key', message: `field name: ${issue.message}` });
        }
      }
      if (name in properties) {
        issues.push(...this.check(item, properties[name], [...path, name]));
      } else if (schema.additionalProperties === false) {
        const suggestion = closestName(name, known);
        issues.push({
          path: [...path, name],
          at: 'key',
          message: `unknown field "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of: ${known.join(', ')}`,
        });
      } else if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) {
        issues.push(...this.check(item, schema.additionalProperties as JsonSchema, [...path, name]));
      }
    }
    return issues;
  }

  private checkAlternatives(value: unknown, branches: JsonSchema[], path: Array<string | number>, mode: 'any' | 'one'): SchemaIssue[] {
    const results = branches.map((branch) => this.check(value, branch, path));
    const passing = results.filter((issues) => issues.length === 0).length;
    if (mode === 'any' ? passing > 0 : passing === 1) return [];

    // "exactly one of these fields": every branch is just `required: [field]`.
    const fields = branches.map(requiredOnlyField);
    if (fields.every((field): field is string => field !== null)) {
      const present = fields.filter((field) => isMapping(value) && field in value);
      if (present.length > 1) {
        return [{ path: [...path, present[1]], at: 'key', message: `use only one of ${present.map((f) => `"${f}"`).join(' and ')} here` }];
      }
      return [{ path, at: 'value', message: `expected one of the fields ${fields.join(', ')}` }];
    }

    // Report the branch meant for this kind of value; if that is ambiguous, name the alternatives.
    const resolved = branches.map((branch) => this.resolveIfRef(branch));
    const sameType = resolved.map((branch, index) => ({ branch, index })).filter(({ branch }) => branchAcceptsType(branch, value));
    if (sameType.length === 1) return results[sameType[0].index];
    return [{ path, at: 'value', message: `expected ${joinOr(resolved.map(schemaTitle))}, got ${describeValue(value)}` }];
  }

  private checkThen(value: unknown, condition: JsonSchema, consequence: JsonSchema, path: Array<string | number>): SchemaIssue[] {
    const forbidden = typeof consequence === 'object' && consequence.not !== undefined ? requiredOnlyField(consequence.not as JsonSchema) : null;
    const trigger = requiredOnlyField(condition);
    if (forbidden && trigger) {
      return isMapping(value) && forbidden in value
        ? [{ path: [...path, forbidden], at: 'key', message: `"${forbidden}" cannot be used together with "${trigger}"` }]
        : [];
    }
    return this.check(value, consequence, path);
  }

  private resolveIfRef(schema: JsonSchema): JsonSchema {
    return typeof schema === 'object' && typeof schema.$ref === 'string' ? this.resolve(schema.$ref) : schema;
  }

  private resolve(ref: string): JsonSchema {
    const match = /^#\/definitions\/([^/]+)$/.exec(ref);
    const definitions = (this.root.definitions ?? {}) as Record<string, JsonSchema>;
    const target = match ? definitions[match[1]] : undefined;
    if (target === undefined) throw new Error(`lab.schema.json: cannot resolve "${ref}" (only #/definitions/<name> is supported)`);
    return target;
  }
}

function checkNumber(value: number, schema: { [keyword: string]: unknown }, path: Array<string | number>): SchemaIssue[] {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${max}`;
    return [{ path, at: 'value', message: `expected a number ${range}, got ${value}` }];
  }
  return [];
}

function requiredOnlyField(schema: JsonSchema): string | null {
  if (typeof schema !== 'object') return null;
  const keys = Object.keys(schema);
  const required = schema.required;
  return keys.length === 1 && Array.isArray(required) && required.length === 1 ? String(required[0]) : null;
}

function branchAcceptsType(branch: JsonSchema, value: unknown): boolean {
  if (typeof branch !== 'object' || branch.type === undefined) return true;
  return (asArray(branch.type) as string[]).some((type) => hasType(value, type));
}

function schemaTitle(schema: JsonSchema): string {
  if (typeof schema === 'object') {
    if (typeof schema.title === 'string') return schema.title;
    if (schema.type !== undefined) return joinOr((asArray(schema.type) as string[]).map(typePhrase));
  }
  return 'a different value';
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'null': return value === null;
    case 'array': return Array.isArray(value);
    case 'object': return isMapping(value);
    default: throw new Error(`lab.schema.json: unknown type "${type}"`);
  }
}

function typePhrase(type: string): string {
  return ({
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    null: 'an empty value',
    array: 'a list ("- item" lines)',
    object: 'a mapping ("key: value" lines)',
  } as Record<string, string>)[type] ?? type;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function joinOr(items: string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? (unique[0] ?? '') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  return leftKeys.every((key) => key in right && deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}
