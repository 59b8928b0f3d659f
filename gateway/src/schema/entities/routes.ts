// kong/db/schema/entities/routes.lua and routes_subschemas.lua (3.x, traditional_compatible).

import { typedefs, mustBeNull, PROTOCOLS } from '../typedefs.js';
import type { EntitySchemaDef, Subschema } from '../types.js';

const httpSubschema: Subschema = {
  fields: [
    ['sources', mustBeNull(typedefs.sourcesOrDestinations, "cannot set 'sources' when 'protocols' is 'http' or 'https'")],
    ['destinations', mustBeNull(typedefs.sourcesOrDestinations, "cannot set 'destinations' when 'protocols' is 'http' or 'https'")],
  ],
  entity_checks: [
    {
      conditional_at_least_one_of: {
        if_field: 'protocols',
        if_match: { contains: 'https' },
        then_at_least_one_of: ['methods', 'hosts', 'headers', 'paths', 'snis'],
        then_err: "must set one of %s when 'protocols' is 'https'",
        else_match: { contains: 'http' },
        else_then_at_least_one_of: ['methods', 'hosts', 'headers', 'paths'],
        else_then_err: "must set one of %s when 'protocols' is 'http'",
      },
    },
  ],
};

const STREAM = "when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'";

const streamSubschema: Subschema = {
  fields: [
    ['methods', mustBeNull(typedefs.methods, `cannot set 'methods' ${STREAM}`)],
    ['hosts', mustBeNull(typedefs.hosts, `cannot set 'hosts' ${STREAM}`)],
    ['paths', mustBeNull(typedefs.routerPaths, `cannot set 'paths' ${STREAM}`)],
    ['headers', mustBeNull(typedefs.headers, `cannot set 'headers' ${STREAM}`)],
  ],
  entity_checks: [
    {
      conditional_at_least_one_of: {
        if_field: 'protocols',
        if_match: { elements: { type: 'string', one_of: ['tcp', 'tls', 'udp'] } },
        then_at_least_one_of: ['sources', 'destinations', 'snis'],
        then_err: "must set one of %s when 'protocols' is 'tcp', 'tls' or 'udp'",
      },
    },
    {
      conditional_at_least_one_of: {
        if_field: 'protocols',
        if_match: { elements: { type: 'string', one_of: ['tls_passthrough'] } },
        then_at_least_one_of: ['snis'],
        then_err: "must set snis when 'protocols' is 'tls_passthrough'",
      },
    },
  ],
};

const grpcSubschema: Subschema = {
  fields: [
    ['strip_path', { type: 'boolean', required: true, default: false, ne: true, err: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'" }],
    ['methods', mustBeNull(typedefs.methods, "cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'")],
    ['sources', mustBeNull(typedefs.sourcesOrDestinations, "cannot set 'sources' when 'protocols' is 'grpc' or 'grpcs'")],
    ['destinations', mustBeNull(typedefs.sourcesOrDestinations, "cannot set 'destinations' when 'protocols' is 'grpc' or 'grpcs'")],
  ],
  entity_checks: [
    {
      conditional_at_least_one_of: {
        if_field: 'protocols',
        if_match: { contains: 'grpcs' },
        then_at_least_one_of: ['hosts', 'headers', 'paths', 'snis'],
        then_err: "must set one of %s when 'protocols' is 'grpcs'",
        else_match: { contains: 'grpc' },
        else_then_at_least_one_of: ['hosts', 'headers', 'paths'],
        else_then_err: "must set one of %s when 'protocols' is 'grpc'",
      },
    },
  ],
};

export const routeSchema: EntitySchemaDef = {
  type: 'record',
  name: 'routes',
  primary_key: ['id'],
  endpoint_key: 'name',
  subschema_key: 'protocols',
  subschemas: new Map([
    ['http', httpSubschema],
    ['https', httpSubschema],
    ['tcp', streamSubschema],
    ['tls', streamSubschema],
    ['udp', streamSubschema],
    ['tls_passthrough', streamSubschema],
    ['grpc', grpcSubschema],
    ['grpcs', grpcSubschema],
  ]),
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['updated_at', typedefs.autoTimestampS],
    ['name', typedefs.utf8Name],
    [
      'protocols',
      {
        type: 'set',
        len_min: 1,
        required: true,
        elements: { type: 'string', one_of: PROTOCOLS },
        mutually_exclusive_subsets: [['http', 'https'], ['tcp', 'tls', 'udp'], ['tls_passthrough'], ['grpc', 'grpcs']],
        default: ['http', 'https'],
      },
    ],
    ['https_redirect_status_code', { type: 'integer', one_of: [426, 301, 302, 307, 308], default: 426, required: true }],
    ['strip_path', { type: 'boolean', required: true, default: true }],
    ['preserve_host', { type: 'boolean', required: true, default: false }],
    ['request_buffering', { type: 'boolean', required: true, default: true }],
    ['response_buffering', { type: 'boolean', required: true, default: true }],
    ['tags', typedefs.tags],
    ['service', { type: 'foreign', reference: 'services' }],
    ['snis', { type: 'set', elements: typedefs.wildcardHost }],
    ['sources', typedefs.sourcesOrDestinations],
    ['destinations', typedefs.sourcesOrDestinations],
    ['methods', typedefs.methods],
    ['hosts', typedefs.hosts],
    ['paths', typedefs.routerPaths],
    ['headers', typedefs.headers],
    ['regex_priority', { type: 'integer', default: 0 }],
    ['path_handling', { type: 'string', default: 'v0', one_of: ['v0', 'v1'] }],
  ],
  entity_checks: [
    {
      conditional: {
        if_field: 'protocols',
        if_match: { elements: { type: 'string', not_one_of: ['grpcs', 'https', 'tls', 'tls_passthrough'] } },
        then_field: 'snis',
        then_match: { len_eq: 0 },
        then_err: "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'",
      },
    },
  ],
};
