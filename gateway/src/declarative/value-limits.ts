// Bounds on a parsed JSON or YAML value, checked before anything walks it recursively
// (validation, hashing, copying). YAML aliases make a value a graph: a short text can name the same
// subtree millions of times, or itself. Shared subtrees are measured once, so this check stays
// linear in the text, and everything after it only ever sees values within the limits.

/** Kong's JSON decoder (lua-cjson, decode_max_depth) refuses nesting deeper than this. */
export const MAX_NESTING_DEPTH = 1000;
/** Values (scalars and containers) once every YAML alias is expanded. */
export const MAX_EXPANDED_VALUES = 1_000_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class LimitExceeded extends Error {}

/** `services.2.tags.1` (positions from 1, as in Kong's error fields), cut after a few steps. */
function describePath(path: readonly (string | number)[]): string {
  const shown = path.slice(0, 6).map((step) => (typeof step === 'number' ? String(step + 1) : step));
  return `${shown.join('.')}${path.length > 6 ? '…' : ''}`;
}

interface Measure {
  /** Values in the subtree, aliases expanded. */
  values: number;
  /** Containers on the longest path down from (and including) this one. */
  height: number;
}

/** What is wrong with `value`, in words, or null when it is within every limit. */
export function valueLimitProblem(value: unknown): string | null {
  const measured = new Map<object, Measure>();
  const open = new Set<object>();
  const path: (string | number)[] = [];
  const fail = (message: string): never => {
    throw new LimitExceeded(path.length > 0 ? `${message}, at ${describePath(path)}` : message);
  };

  const check = (text: string): void => {
    if (LONE_SURROGATE.test(text)) fail(`the string ${JSON.stringify(text.slice(0, 40))} is not valid Unicode (a lone surrogate)`);
  };

  // `depth` is the number of containers above `node`.
  const measure = (node: unknown, depth: number): Measure => {
    if (typeof node === 'string') {
      check(node);
      return { values: 1, height: 0 };
    }
    if (typeof node !== 'object' || node === null) return { values: 1, height: 0 };
    const known = measured.get(node);
    if (known) {
      if (depth + known.height > MAX_NESTING_DEPTH) fail(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
      return known;
    }
    if (open.has(node)) fail('a YAML alias refers to itself (the value would be infinite)');
    if (depth + 1 > MAX_NESTING_DEPTH) fail(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
    const prototype = Object.getPrototypeOf(node);
    if (!Array.isArray(node) && prototype !== Object.prototype && prototype !== null) {
      fail(`a value of type ${prototype?.constructor?.name ?? 'object'} is not JSON data`);
    }
    open.add(node);
    const result: Measure = { values: 1, height: 1 };
    const children = Array.isArray(node) ? node.entries() : Object.entries(node);
    for (const [key, item] of children) {
      path.push(key);
      if (typeof key === 'string') check(key);
      const inner = measure(item, depth + 1);
      result.values += inner.values;
      result.height = Math.max(result.height, inner.height + 1);
      if (result.values > MAX_EXPANDED_VALUES) {
        fail(`the configuration expands to more than ${MAX_EXPANDED_VALUES} values (YAML aliases included)`);
      }
      path.pop();
    }
    open.delete(node);
    measured.set(node, result);
    return result;
  };

  try {
    measure(value, 0);
    return null;
  } catch (error) {
    if (error instanceof LimitExceeded) return error.message;
    throw error;
  }
}
