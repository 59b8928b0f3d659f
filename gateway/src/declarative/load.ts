// Loads a parsed declarative configuration (format 3.0, or 1.1/2.1 migrated on the fly) the way
// Kong's DB-less `POST /config` does: schema validation with defaults, deterministic ids,
// references and uniqueness, then the flat entity lists the gateway runs on.

import { isPlainObject, type Plain } from '../schema/engine.js';
import { collectionInfo } from './collections.js';
import { assignIds } from './assign-ids.js';
import { buildFlatConfig } from './build-config.js';
import { checkReferences } from './check-references.js';
import type { EntityCollection, FlatConfig } from './entities.js';
import { DeclarativeConfigError } from './errors.js';
import { flattenErrors, type EntityLocator } from './flatten-errors.js';
import { migrateLegacyFormat } from './format-migration.js';
import { validateDocument, type EntityNode } from './validate-document.js';
import { valueLimitProblem } from './value-limits.js';
import type { ErrorTree } from '../schema/types.js';
import { PLUGIN_NOT_ENABLED } from '../schema/entities/plugins.js';
import { notEnabledHint } from '../plugins/registry.js';

export { DeclarativeConfigError } from './errors.js';
export { configToKongFlat, exportDeclarativeYaml } from './export.js';

export interface LoadOptions {
  /** Add Kong's `flattened_errors` to the error body (POST /config?flatten_errors=1). */
  flattenErrors?: boolean;
  /** Milliseconds since the epoch used for created_at/updated_at (default: Date.now()). */
  now?: number;
}

export type LoadResult = { ok: true; config: FlatConfig } | { ok: false; error: DeclarativeConfigError };

const [NOT_ENABLED_BEFORE, NOT_ENABLED_AFTER] = PLUGIN_NOT_ENABLED.split('%s');

/** True when some field says a plugin is not enabled (Kong's subschema error for an unknown name). */
function refusesAPlugin(errors: ErrorTree | string): boolean {
  if (typeof errors === 'string') return errors.startsWith(NOT_ENABLED_BEFORE) && errors.endsWith(NOT_ENABLED_AFTER);
  return Object.values(errors).some((node) => refusesAPlugin(node as ErrorTree | string));
}

function failure(working: Plain, errors: ErrorTree, options: LoadOptions, locate?: EntityLocator): LoadResult {
  const hint = refusesAPlugin(errors) ? notEnabledHint() : null;
  const flattened = options.flattenErrors ? flattenErrors(working, errors, locate) : undefined;
  return { ok: false, error: new DeclarativeConfigError(errors, flattened, hint) };
}

/** Input objects by id and endpoint key, to attach errors keyed by name to their entity. */
function locator(top: Map<EntityCollection, EntityNode[]>): EntityLocator {
  const byKey = new Map<string, Plain>();
  const visit = (node: EntityNode) => {
    byKey.set(`${node.collection}\0${node.id}`, node.raw);
    const endpointKey = collectionInfo(node.collection).schema.endpoint_key;
    const value = endpointKey ? node.raw[endpointKey] : undefined;
    if (typeof value === 'string' && !byKey.has(`${node.collection}\0${value}`)) byKey.set(`${node.collection}\0${value}`, node.raw);
    node.children.forEach(visit);
  };
  for (const nodes of top.values()) nodes.forEach(visit);
  return (collection, key) => byKey.get(`${collection}\0${key}`);
}

/** Never throws for bad input: an invalid configuration is `{ ok: false, error }`. */
export function loadDeclarativeConfig(input: unknown, options: LoadOptions = {}): LoadResult {
  if (!isPlainObject(input)) return { ok: false, error: DeclarativeConfigError.parseFailure('expected an object') };
  const tooBig = valueLimitProblem(input);
  if (tooBig !== null) return { ok: false, error: DeclarativeConfigError.parseFailure(tooBig) };
  // A private copy: error flattening quotes (and trims) the input entities.
  const working = structuredClone(input);
  const document = migrateLegacyFormat(working);
  const validated = validateDocument(document);
  if (validated.errors) return failure(working, validated.errors, options);

  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  assignIds(validated.top, nowSeconds);
  const { index, errors } = checkReferences(validated.top);
  if (errors) return failure(working, errors, options, locator(validated.top));

  const transform = document._transform !== false;
  return { ok: true, config: buildFlatConfig(validated.top, index, transform) };
}
