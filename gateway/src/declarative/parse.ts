// Declarative text → value: JSON first, then YAML (Kong's declarative unserialize).

import yaml from 'js-yaml';
import { DeclarativeConfigError } from './errors.js';
import { MAX_NESTING_DEPTH } from './value-limits.js';

export { configToKongFlat, exportDeclarativeYaml } from './export.js';

/**
 * YAML's core schema plus merge keys (`<<: *defaults`). js-yaml's default schema would also turn
 * `2001-12-14` into a Date and `!!binary`, `!!set`, `!!omap` into objects that are not JSON data;
 * Kong's YAML reader keeps such scalars as strings, and an unknown tag is refused.
 */
// js-yaml exports its built-in types; @types/js-yaml does not declare them.
const { merge } = (yaml as unknown as { types: { merge: yaml.Type } }).types;
const DECLARATION_SCHEMA = yaml.CORE_SCHEMA.extend([merge]);

/**
 * Parses JSON or YAML. Throws DeclarativeConfigError (Kong's `failed parsing declarative
 * configuration: …` body) when the text is neither; a value that is not an object is returned
 * as is and refused by loadDeclarativeConfig.
 */
export function parseDeclarativeText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: try YAML, as Kong does.
  }
  try {
    // `json: true` lets a repeated key override the earlier one, as libyaml-based Kong does.
    // js-yaml composes nodes recursively and counts the scalar inside the deepest container as a
    // level: stop it one past the limit, before the stack runs out; value-limits has the last word.
    const options = { json: true, schema: DECLARATION_SCHEMA, maxDepth: MAX_NESTING_DEPTH + 1 };
    return yaml.load(text, options) ?? null;
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw DeclarativeConfigError.parseFailure(String(err));
    if (err.reason.startsWith('nesting exceeded maxDepth')) {
      const where = err.mark ? `, at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : '';
      throw DeclarativeConfigError.parseFailure(`nested deeper than ${MAX_NESTING_DEPTH} levels${where}`);
    }
    throw DeclarativeConfigError.parseFailure(err.message.split('\n')[0]);
  }
}
