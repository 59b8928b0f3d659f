// Reusable field definitions (kong/db/schema/typedefs.lua), Kong's OSS flavour.

import type { FieldDef } from './types.js';
import {
  validateHeaderConditionValue,
  validateHeaderName,
  validateHost,
  validateHostWithWildcards,
  validateIpOrCidr,
  validatePath,
  validateRouterPath,
  validateSni,
  validateTag,
  validateUrl,
  validateUtf8Name,
  validateWildcardHost,
} from './validators.js';

/** constants.PROTOCOLS (OSS), in Kong's order. */
export const PROTOCOLS = ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'tls_passthrough', 'udp'] as const;
/** The protocols of the http subsystem, sorted: the default `protocols` of routes' plugins. */
export const HTTP_PROTOCOLS = ['grpc', 'grpcs', 'http', 'https'] as const;

export const DAO_MAX_TTL = 100000000;

export const typedefs = {
  uuid: { type: 'string', uuid: true, auto: true } satisfies FieldDef,
  autoTimestampS: { type: 'integer', timestamp: true, auto: true } satisfies FieldDef,
  httpMethod: { type: 'string', match: /^[A-Z]+$/ } satisfies FieldDef,
  protocol: { type: 'string', one_of: PROTOCOLS } satisfies FieldDef,
  host: { type: 'string', custom_validator: validateHost } satisfies FieldDef,
  port: { type: 'integer', between: [0, 65535] } satisfies FieldDef,
  path: {
    type: 'string',
    starts_with: '/',
    match_none: [{ pattern: /\/\//, err: 'must not have empty segments' }],
    custom_validator: validatePath,
  } satisfies FieldDef,
  url: { type: 'string', custom_validator: validateUrl } satisfies FieldDef,
  headerName: { type: 'string', custom_validator: validateHeaderName } satisfies FieldDef,
  timeout: { type: 'integer', between: [0, 2 ** 31 - 2] } satisfies FieldDef,
  utf8Name: { type: 'string', unique: true, custom_validator: validateUtf8Name } satisfies FieldDef,
  sni: { type: 'string', custom_validator: validateSni } satisfies FieldDef,
  wildcardHost: { type: 'string', custom_validator: validateWildcardHost } satisfies FieldDef,
  tags: { type: 'set', elements: { type: 'string', required: true, custom_validator: validateTag } } satisfies FieldDef,
  protocols: { type: 'set', required: true, default: [...HTTP_PROTOCOLS], elements: { type: 'string', one_of: PROTOCOLS } } satisfies FieldDef,
  protocolsHttp: {
    type: 'set',
    required: true,
    default: [...HTTP_PROTOCOLS],
    elements: { type: 'string', one_of: HTTP_PROTOCOLS },
  } satisfies FieldDef,
  ttl: { type: 'number', between: [0, DAO_MAX_TTL] } satisfies FieldDef,
  /** A foreign key that a plugin refuses (typedefs.no_consumer and friends). */
  noForeign: (reference: string): FieldDef => ({ type: 'foreign', reference, eq: null }),
  /** A credential's consumer (on_delete cascade in Kong): every credential belongs to one. */
  consumerOwner: { type: 'foreign', reference: 'consumers', required: true } satisfies FieldDef,
  sourcesOrDestinations: {
    type: 'set',
    elements: {
      type: 'record',
      fields: [
        ['ip', { type: 'string', custom_validator: validateIpOrCidr }],
        ['port', { type: 'integer', between: [0, 65535] }],
      ],
      entity_checks: [{ at_least_one_of: ['ip', 'port'] }],
    },
  } satisfies FieldDef,
  methods: { type: 'set', elements: { type: 'string', match: /^[A-Z]+$/ } } satisfies FieldDef,
  hosts: {
    type: 'array',
    elements: {
      type: 'string',
      match_all: [{ pattern: /^[^*]*\*?[^*]*$/, err: 'invalid wildcard: must have at most one wildcard' }],
      match_any: { patterns: [/^\*\./, /\.\*$/, /^[^*]*$/], err: 'invalid wildcard: must be placed at leftmost or rightmost label' },
      custom_validator: validateHostWithWildcards,
    },
  } satisfies FieldDef,
  routerPaths: {
    type: 'array',
    elements: {
      type: 'string',
      match_none: [{ pattern: /\/\//, err: 'must not have empty segments' }],
      match_any: { patterns: [/^\//, /^~\//], err: 'should start with: / (fixed path) or ~/ (regex path)' },
      custom_validator: validateRouterPath,
    },
  } satisfies FieldDef,
  headers: {
    type: 'map',
    keys: {
      type: 'string',
      match_none: [{ pattern: /^[Hh][Oo][Ss][Tt]$/, err: "cannot contain 'host' header, which must be specified in the 'hosts' attribute" }],
      custom_validator: validateHeaderName,
    },
    values: { type: 'array', elements: { type: 'string', custom_validator: validateHeaderConditionValue } },
  } satisfies FieldDef,
} as const;

/** The same field, but it must be null (route subschemas' no_sources etc.), with a custom message. */
export function mustBeNull(base: FieldDef, err: string): FieldDef {
  return { ...base, eq: null, err } as FieldDef;
}

