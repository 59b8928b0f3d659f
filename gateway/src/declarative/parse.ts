// Declarative text → value: JSON first, then YAML (Kong's declarative unserialize).

import yaml from 'js-yaml';
import { DeclarativeConfigError } from './errors.js';

export { configToKongFlat, exportDeclarativeYaml } from './export.js';

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
    return yaml.load(text, { json: true }) ?? null;
  } catch (err) {
    const reason = err instanceof yaml.YAMLException ? err.message.split('\n')[0] : String(err);
    throw DeclarativeConfigError.parseFailure(reason);
  }
}
