// kong/plugins/rate-limiting/schema.lua (3.9) and kong/tools/redis/schema.lua, DB-less flavour:
// the `cluster` policy needs a database, so it is not offered.

import type { PluginSchema } from '../../schema/plugin-schema.js';
import { typedefs } from '../../schema/typedefs.js';
import { validateSni } from '../../schema/validators.js';
import type { FieldDef, RecordDef, ShorthandEntry } from '../../schema/types.js';

const SYNC_RATE_REALTIME = -1;
const ORDERED_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

/** C's "%.1f": like toFixed(1) but ties go to the even digit (glibc rounds exact binary ties that way). */
export function formatOneDecimal(value: number): string {
  const scaled = value * 10;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) return ((floor % 2 === 0 ? floor : floor + 1) / 10).toFixed(1);
  return value.toFixed(1);
}

function validatePeriodsOrder(config: Record<string, any>): string | null {
  for (let i = 0; i < ORDERED_PERIODS.length; i++) {
    const lower = ORDERED_PERIODS[i];
    const v1 = config[lower];
    if (typeof v1 !== 'number') continue;
    for (const upper of ORDERED_PERIODS.slice(i + 1)) {
      const v2 = config[upper];
      if (typeof v2 === 'number' && v2 < v1) {
        return `The limit for ${upper}(${formatOneDecimal(v2)}) cannot be lower than the limit for ${lower}(${formatOneDecimal(v1)})`;
      }
    }
  }
  if (config.policy !== 'redis' && config.sync_rate !== SYNC_RATE_REALTIME) return 'sync_rate can only be used with the redis policy';
  if (config.policy === 'redis' && config.sync_rate !== SYNC_RATE_REALTIME && config.sync_rate < 0.02) {
    return 'sync_rate must be greater than 0.02, or -1 to disable';
  }
  return null;
}

/** kong/tools/redis/schema.lua config_schema: always present, with its defaults. */
export const redisConfigSchema: RecordDef = {
  type: 'record',
  required: true,
  fields: [
    ['host', typedefs.host],
    ['port', { ...typedefs.port, default: 6379 }],
    ['timeout', { ...typedefs.timeout, default: 2000 }],
    ['username', { type: 'string' }],
    ['password', { type: 'string', len_min: 0, encrypted: true }],
    ['database', { type: 'integer', default: 0 }],
    ['ssl', { type: 'boolean', required: false, default: false }],
    ['ssl_verify', { type: 'boolean', required: false, default: false }],
    ['server_name', { type: 'string', custom_validator: validateSni, required: false }],
  ],
};

/** The 3.0–3.5 flat `redis_*` fields, kept as deprecated shorthands of `redis.*`. */
function legacyRedis(name: string, target: string, field: FieldDef): ShorthandEntry {
  return [
    name,
    {
      ...field,
      deprecation: { replaced_with: [['redis', target]] },
      func: (value: unknown) => ({ redis: { [target]: value } }),
    },
  ];
}

export const rateLimitingSchema: PluginSchema = {
  name: 'rate-limiting',
  protocols: typedefs.protocolsHttp,
  config: {
    type: 'record',
    fields: [
      ['second', { type: 'number', gt: 0 }],
      ['minute', { type: 'number', gt: 0 }],
      ['hour', { type: 'number', gt: 0 }],
      ['day', { type: 'number', gt: 0 }],
      ['month', { type: 'number', gt: 0 }],
      ['year', { type: 'number', gt: 0 }],
      ['limit_by', { type: 'string', default: 'consumer', one_of: ['consumer', 'credential', 'ip', 'service', 'header', 'path'] }],
      ['header_name', typedefs.headerName],
      ['path', typedefs.path],
      ['policy', { type: 'string', default: 'local', len_min: 0, one_of: ['local', 'redis'] }],
      ['fault_tolerant', { type: 'boolean', required: true, default: true }],
      ['redis', redisConfigSchema],
      ['hide_client_headers', { type: 'boolean', required: true, default: false }],
      ['error_code', { type: 'number', default: 429, gt: 0 }],
      ['error_message', { type: 'string', default: 'API rate limit exceeded' }],
      ['sync_rate', { type: 'number', required: true, default: SYNC_RATE_REALTIME }],
    ],
    custom_validator: validatePeriodsOrder,
    shorthand_fields: [
      legacyRedis('redis_host', 'host', { type: 'string' }),
      legacyRedis('redis_port', 'port', { type: 'integer' }),
      legacyRedis('redis_password', 'password', { type: 'string', len_min: 0, encrypted: true }),
      legacyRedis('redis_username', 'username', { type: 'string' }),
      legacyRedis('redis_ssl', 'ssl', { type: 'boolean' }),
      legacyRedis('redis_ssl_verify', 'ssl_verify', { type: 'boolean' }),
      legacyRedis('redis_server_name', 'server_name', { type: 'string' }),
      legacyRedis('redis_timeout', 'timeout', { type: 'integer' }),
      legacyRedis('redis_database', 'database', { type: 'integer' }),
    ],
  },
  entityChecks: [
    { at_least_one_of: ['config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'] },
    { conditional: { if_field: 'config.policy', if_match: { eq: 'redis' }, then_field: 'config.redis.host', then_match: { required: true } } },
    { conditional: { if_field: 'config.policy', if_match: { eq: 'redis' }, then_field: 'config.redis.port', then_match: { required: true } } },
    { conditional: { if_field: 'config.policy', if_match: { eq: 'redis' }, then_field: 'config.redis.timeout', then_match: { required: true } } },
    { conditional: { if_field: 'config.limit_by', if_match: { eq: 'header' }, then_field: 'config.header_name', then_match: { required: true } } },
    { conditional: { if_field: 'config.limit_by', if_match: { eq: 'path' }, then_field: 'config.path', then_match: { required: true } } },
  ],
};
