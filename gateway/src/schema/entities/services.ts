// kong/db/schema/entities/services.lua (3.x), with the `url` shorthand.

import { parseSocketUrl } from '../socket-url.js';
import { typedefs } from '../typedefs.js';
import type { EntitySchemaDef, FieldDef } from '../types.js';

const nonzeroTimeout = (defaultValue: number): FieldDef => ({ type: 'integer', between: [1, 2 ** 31 - 2], default: defaultValue });

const DEFAULT_PROTOCOL = 'http';
const DEFAULT_PORT = 80;

/** Expands `url: http://host:port/path` like Kong (LuaSocket parsing; a query string is dropped). */
function expandUrl(sugar: string): Record<string, unknown> | null {
  const parsed = parseSocketUrl(sugar);
  if (!parsed) return null;
  const numericPort = parsed.port !== undefined && /^\d+$/.test(parsed.port) ? Number(parsed.port) : undefined;
  const fromPort = numericPort === 80 ? 'http' : numericPort === 443 ? 'https' : undefined;
  const protocol = parsed.scheme ?? fromPort ?? DEFAULT_PROTOCOL;
  const port =
    numericPort ??
    (parsed.port !== undefined ? parsed.port : undefined) ??
    (protocol === 'http' ? 80 : protocol === 'https' ? 443 : DEFAULT_PORT);
  return { protocol, host: parsed.host ?? null, port, path: parsed.path ?? null };
}

const unlessTls = (field: string) =>
  ({ conditional: { if_field: 'protocol', if_match: { not_one_of: ['https', 'tls'] }, then_field: field, then_match: { eq: null } } }) as const;

export const serviceSchema: EntitySchemaDef = {
  type: 'record',
  name: 'services',
  primary_key: ['id'],
  endpoint_key: 'name',
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['updated_at', typedefs.autoTimestampS],
    ['name', typedefs.utf8Name],
    ['retries', { type: 'integer', default: 5, between: [0, 32767] }],
    ['protocol', { ...typedefs.protocol, required: true, default: DEFAULT_PROTOCOL }],
    ['host', { ...typedefs.host, required: true }],
    ['port', { ...typedefs.port, required: true, default: DEFAULT_PORT }],
    ['path', typedefs.path],
    ['connect_timeout', nonzeroTimeout(60000)],
    ['write_timeout', nonzeroTimeout(60000)],
    ['read_timeout', nonzeroTimeout(60000)],
    ['tags', typedefs.tags],
    ['client_certificate', { type: 'foreign', reference: 'certificates' }],
    ['tls_verify', { type: 'boolean' }],
    ['tls_verify_depth', { type: 'integer', default: null, between: [0, 64] }],
    ['ca_certificates', { type: 'array', elements: { type: 'string', uuid: true } }],
    ['enabled', { type: 'boolean', required: true, default: true }],
  ],
  entity_checks: [
    {
      conditional: {
        if_field: 'protocol',
        if_match: { one_of: ['tcp', 'tls', 'udp', 'grpc', 'grpcs'] },
        then_field: 'path',
        then_match: { eq: null },
      },
    },
    unlessTls('client_certificate'),
    unlessTls('tls_verify'),
    unlessTls('tls_verify_depth'),
    unlessTls('ca_certificates'),
  ],
  shorthand_fields: [['url', { type: 'string', func: expandUrl }]],
};
