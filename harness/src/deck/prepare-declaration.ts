// The file as decK turns it into target state, before looking at the gateway: decK's own keys
// removed, `_info.defaults` filled in, the select tags merged into every entity (nested ones too).

import { DECK_ONLY_KEYS, type DeclarationMeta, type DefaultableKind } from './declaration-meta.js';
import { DeclarationError } from './errors.js';
import type { RawEntity } from './entity-model.js';
import { walkEntities, type WalkedEntity } from './nesting.js';
import type { Declaration, ParsedDeclaration } from './parse-declaration.js';

export interface PreparedDeclaration {
  /** What goes to the gateway (before merging the entities a select_tags sync keeps). */
  readonly document: Declaration;
  /** Every entity of the file, parents first. The objects are those of `document`. */
  readonly entities: WalkedEntity[];
}

const DEFAULTS_BY_COLLECTION: Record<string, DefaultableKind> = {
  services: 'service',
  routes: 'route',
  upstreams: 'upstream',
  targets: 'target',
};

/** Removes decK-only keys; the result shares the entity objects with the input. */
export function stripDeckKeys(document: Declaration): Declaration {
  const stripped: Declaration = {};
  for (const [key, value] of Object.entries(document)) {
    if (!(DECK_ONLY_KEYS as readonly string[]).includes(key)) stripped[key] = value;
  }
  return stripped;
}

/** decK precedence: the entity's own value > `_info.defaults` > the gateway's schema defaults. */
export function applyDefaults(entity: RawEntity, defaults: Record<string, unknown> | undefined): void {
  if (!defaults) return;
  for (const [field, value] of Object.entries(defaults)) {
    if (entity[field] === undefined) entity[field] = structuredClone(value);
  }
}

/** decK's MustMergeTags: the entity's tags first, then each missing select tag. */
export function mergeTags(entity: RawEntity, selectTags: string[]): void {
  if (selectTags.length === 0) return;
  // A malformed `tags` is left for the gateway to reject with its own message.
  if (entity.tags !== undefined && entity.tags !== null && !Array.isArray(entity.tags)) return;
  const own = Array.isArray(entity.tags) ? (entity.tags as unknown[]) : [];
  const merged = [...own];
  for (const tag of selectTags) if (!merged.includes(tag)) merged.push(tag);
  entity.tags = merged;
}

export function prepareDeclaration(parsed: ParsedDeclaration, meta: DeclarationMeta): PreparedDeclaration {
  const document = stripDeckKeys(parsed.document);
  document._format_version = '3.0';
  const entities = walkEntities(document, (problem) => {
    throw new DeclarationError(parsed.source, problem.message, parsed.positionOf(problem.node));
  });
  for (const { collection, entity } of entities) {
    const kind = DEFAULTS_BY_COLLECTION[collection];
    if (kind) applyDefaults(entity, meta.defaults[kind]);
    mergeTags(entity, meta.selectTags);
  }
  return { document, entities };
}
