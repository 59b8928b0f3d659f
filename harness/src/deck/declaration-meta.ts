// decK's own top-level keys: `_format_version` (checked as decK checks it), `_konnect` (validated,
// then ignored: we stand in for Konnect) and `_info` (select_tags, defaults, default_lookup_tags).
// Kong accepts none of `_konnect`/`_info`; decK consumes them and never sends them.

import { DeclarationError } from './errors.js';
import type { ParsedDeclaration } from './parse-declaration.js';

export const DEFAULTABLE_KINDS = ['service', 'route', 'upstream', 'target'] as const;
export type DefaultableKind = (typeof DEFAULTABLE_KINDS)[number];

export const LOOKUP_TAG_KINDS = ['consumers', 'consumer_groups', 'services', 'routes', 'partials'] as const;
export type LookupTagKind = (typeof LOOKUP_TAG_KINDS)[number];

export interface DeclarationMeta {
  /** AND semantics: an entity is in scope when it carries every one of them. Empty = everything. */
  selectTags: string[];
  /** `_info.defaults`: per-kind values for fields an entity leaves out. */
  defaults: Partial<Record<DefaultableKind, Record<string, unknown>>>;
  /** `_info.default_lookup_tags`: entities outside the scope that references may still name. */
  lookupTags: Partial<Record<LookupTagKind, string[]>>;
  /** The Konnect control plane the file names (accepted, not used). */
  controlPlane: string | null;
}

/** The keys decK consumes itself; everything else goes to the gateway. */
export const DECK_ONLY_KEYS = ['_konnect', '_info'] as const;

const KONNECT_KEYS = ['control_plane_name', 'runtime_group_name'];
const INFO_KEYS = ['select_tags', 'defaults', 'default_lookup_tags', 'consumer_group_policy_overrides'];

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function sameTags(a: string[], b: string[]): boolean {
  const left = uniqueSorted(a);
  const right = uniqueSorted(b);
  return left.length === right.length && left.every((tag, i) => tag === right[i]);
}

function readFormatVersion(parsed: ParsedDeclaration): void {
  const value = parsed.document._format_version;
  const where = parsed.keyPosition('_format_version');
  if (typeof value === 'number') {
    throw new DeclarationError(parsed.source, `_format_version must be the string "3.0": YAML reads an unquoted ${value} as a number; write _format_version: "3.0"`, where);
  }
  // decK treats a missing version as "1.1".
  const version = value === undefined ? '1.1' : value;
  if (typeof version !== 'string') {
    throw new DeclarationError(parsed.source, '_format_version must be the string "3.0"', where);
  }
  if (version !== '3.0') {
    throw new DeclarationError(
      parsed.source,
      `cannot apply '${version}' config format version to Kong version 3.0 or above.\n` +
        'Upgrade the file (deck file convert --from kong-gateway-2.x --to kong-gateway-3.x) and set _format_version: "3.0".',
      where ?? { line: 1, column: 1 },
    );
  }
}

function readKonnect(parsed: ParsedDeclaration): string | null {
  const konnect = parsed.document._konnect;
  if (konnect === undefined) {
    if (parsed.document._workspace !== undefined) {
      throw new DeclarationError(parsed.source, '_workspace is not supported: this gateway has only the default workspace; remove it', parsed.keyPosition('_workspace'));
    }
    return null;
  }
  const where = parsed.positionOf(konnect) ?? parsed.keyPosition('_konnect');
  if (!isMapping(konnect)) throw new DeclarationError(parsed.source, '_konnect must be a mapping with control_plane_name', where);
  for (const key of Object.keys(konnect)) {
    if (!KONNECT_KEYS.includes(key)) {
      throw new DeclarationError(parsed.source, `_konnect.${key} is not a decK setting (expected control_plane_name)`, where);
    }
  }
  const controlPlane = konnect.control_plane_name;
  const runtimeGroup = konnect.runtime_group_name;
  for (const [key, value] of [['control_plane_name', controlPlane], ['runtime_group_name', runtimeGroup]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new DeclarationError(parsed.source, `_konnect.${key} must be a non-empty string`, where);
    }
  }
  if (controlPlane !== undefined && runtimeGroup !== undefined) {
    throw new DeclarationError(parsed.source, 'cannot set both runtime_group_name and control_plane_name. Please use only control_plane_name', where);
  }
  if (parsed.document._workspace !== undefined) {
    // decK's message in Konnect mode.
    throw new DeclarationError(
      parsed.source,
      `_workspace set in config file.\nWorkspaces are not supported in Konnect. Please remove '_workspace: ${String(parsed.document._workspace)}' from your configuration and try again`,
      parsed.keyPosition('_workspace'),
    );
  }
  return (controlPlane ?? runtimeGroup ?? 'default') as string;
}

function readTagList(parsed: ParsedDeclaration, value: unknown, name: string, where = parsed.positionOf(value)): string[] {
  if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string' && tag !== '')) {
    throw new DeclarationError(parsed.source, `${name} must be a list of non-empty strings`, where ?? parsed.keyPosition('_info'));
  }
  return value as string[];
}

function readInfo(parsed: ParsedDeclaration): Omit<DeclarationMeta, 'controlPlane'> {
  const info = parsed.document._info;
  const meta: Omit<DeclarationMeta, 'controlPlane'> = { selectTags: [], defaults: {}, lookupTags: {} };
  if (info === undefined) return meta;
  const where = parsed.positionOf(info) ?? parsed.keyPosition('_info');
  if (!isMapping(info)) throw new DeclarationError(parsed.source, '_info must be a mapping (select_tags, defaults, default_lookup_tags)', where);
  for (const key of Object.keys(info)) {
    if (!INFO_KEYS.includes(key)) {
      throw new DeclarationError(parsed.source, `_info.${key} is not a decK setting (expected one of ${INFO_KEYS.join(', ')})`, where);
    }
  }
  if (info.select_tags !== undefined && info.select_tags !== null) {
    meta.selectTags = [...new Set(readTagList(parsed, info.select_tags, '_info.select_tags'))];
  }
  if (info.defaults !== undefined && info.defaults !== null) {
    const defaults = info.defaults;
    if (!isMapping(defaults)) throw new DeclarationError(parsed.source, '_info.defaults must be a mapping', parsed.positionOf(defaults) ?? where);
    for (const [kind, values] of Object.entries(defaults)) {
      if (!(DEFAULTABLE_KINDS as readonly string[]).includes(kind)) {
        throw new DeclarationError(parsed.source, `_info.defaults.${kind} is not supported (decK has defaults for ${DEFAULTABLE_KINDS.join(', ')})`, parsed.positionOf(defaults) ?? where);
      }
      if (!isMapping(values)) throw new DeclarationError(parsed.source, `_info.defaults.${kind} must be a mapping of field: value`, parsed.positionOf(defaults) ?? where);
      meta.defaults[kind as DefaultableKind] = values;
    }
  }
  if (info.default_lookup_tags !== undefined && info.default_lookup_tags !== null) {
    const lookup = info.default_lookup_tags;
    if (!isMapping(lookup)) throw new DeclarationError(parsed.source, '_info.default_lookup_tags must be a mapping', parsed.positionOf(lookup) ?? where);
    for (const [kind, tags] of Object.entries(lookup)) {
      if (!(LOOKUP_TAG_KINDS as readonly string[]).includes(kind)) {
        throw new DeclarationError(parsed.source, `_info.default_lookup_tags.${kind} is not supported (expected one of ${LOOKUP_TAG_KINDS.join(', ')})`, parsed.positionOf(lookup) ?? where);
      }
      const list = readTagList(parsed, tags, `_info.default_lookup_tags.${kind}`, parsed.positionOf(tags) ?? parsed.positionOf(lookup));
      // decK's own message for an empty list.
      if (list.length === 0) throw new DeclarationError(parsed.source, `global ${kind} specified but no global tags`, parsed.positionOf(lookup) ?? where);
      meta.lookupTags[kind as LookupTagKind] = [...new Set(list)];
    }
  }
  return meta;
}

/** Checks decK's keys and returns what the sync needs from them. `flagSelectTags` = `--select-tag` values. */
export function readDeclarationMeta(parsed: ParsedDeclaration, flagSelectTags: string[] = []): DeclarationMeta {
  readFormatVersion(parsed);
  const controlPlane = readKonnect(parsed);
  const info = readInfo(parsed);
  let selectTags = info.selectTags;
  if (flagSelectTags.length > 0) {
    if (selectTags.length > 0 && !sameTags(selectTags, flagSelectTags)) {
      throw new DeclarationError(
        parsed.source,
        `tags specified in the state file ([${uniqueSorted(selectTags).join(' ')}]) and via --select-tags flag ([${uniqueSorted(flagSelectTags).join(' ')}]) are different.\n` +
          'decK expects tags to be specified in either via flag or via state file.\nIn case both are specified, they must match',
        parsed.positionOf(parsed.document._info) ?? parsed.keyPosition('_info'),
      );
    }
    selectTags = [...new Set(flagSelectTags)];
  }
  return { ...info, selectTags, controlPlane };
}
