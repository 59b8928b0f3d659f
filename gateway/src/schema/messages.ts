// Kong's validation messages (kong/db/schema/init.lua validation_errors), word for word.

export const MSG = {
  ARRAY: 'expected an array',
  SET: 'expected a set',
  MAP: 'expected a map',
  RECORD: 'expected a record',
  STRING: 'expected a string',
  NUMBER: 'expected a number',
  BOOLEAN: 'expected a boolean',
  INTEGER: 'expected an integer',
  REQUIRED: 'required field missing',
  UNKNOWN: 'unknown field',
  UUID: 'expected a valid UUID',
  TIMESTAMP: 'expected a valid timestamp',
  MISSING_PK: 'missing primary key',
  REQUIRED_FOR_ENTITY_CHECK: 'field required for entity check',
  eq: (value: string) => `value must be ${value}`,
  ne: (value: string) => `value must not be ${value}`,
  gt: (limit: string) => `value must be greater than ${limit}`,
  between: (min: number, max: number) => `value should be between ${Math.trunc(min)} and ${Math.trunc(max)}`,
  len_eq: (n: number) => `length must be ${n}`,
  len_min: (n: number) => `length must be at least ${n}`,
  len_max: (n: number) => `length must be at most ${n}`,
  invalidValue: (value: string) => `invalid value: ${value}`,
  starts_with: (prefix: string) => `should start with: ${prefix}`,
  contains: (wanted: string) => `expected to contain: ${wanted}`,
  one_of: (options: readonly (string | number)[]) => `expected one of: ${options.join(', ')}`,
  not_one_of: (options: readonly (string | number)[]) => `must not be one of: ${options.join(', ')}`,
  validation: (value: string) => `failed validating: ${value}`,
  subschemaUnknown: (key: string) => `unknown type: ${key}`,
  mutually_exclusive_sets: (list: string) => `these sets are mutually exclusive: ${list}`,
} as const;

/** Entity-check message formats (validation_errors[check_name:upper()]). */
export const ENTITY_CHECK_MSG: Readonly<Record<string, (list: string) => string>> = {
  at_least_one_of: (list) => `at least one of these fields must be non-empty: ${list}`,
  conditional_at_least_one_of: (list) => `at least one of these fields must be non-empty: ${list}`,
  only_one_of: (list) => `exactly one of these fields must be non-empty: ${list}`,
  distinct: (list) => `values of these fields must be distinct: ${list}`,
  conditional: (field) => `failed conditional validation given value of field '${field}'`,
  mutually_required: (list) => `all or none of these fields must be set: ${list}`,
  mutually_exclusive: (list) => `only one or none of these fields must be set: ${list}`,
};

/** `'a', 'b', 'c'` */
export function quotedList(words: readonly (string | readonly string[])[]): string {
  return words.map((w) => (typeof w === 'string' ? `'${w}'` : `(${quotedList(w)})`)).join(', ');
}

/** Lua's tostring for the values that appear in messages. */
export function luaToString(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    // Lua prints floats with %.14g.
    return Number(value.toPrecision(14)).toString();
  }
  return String(value);
}
