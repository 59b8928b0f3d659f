// kong/plugins/key-auth/schema.lua (3.9), plus the EE 3.10+ `identity_realms` field.

import type { PluginSchema } from '../../schema/plugin-schema.js';
import { typedefs } from '../../schema/typedefs.js';

export const keyAuthSchema: PluginSchema = {
  name: 'key-auth',
  // typedefs.no_consumer: a key-auth instance cannot be scoped to a consumer.
  noConsumer: true,
  protocols: typedefs.protocolsHttp,
  config: {
    type: 'record',
    fields: [
      ['key_names', { type: 'array', required: true, elements: typedefs.headerName, default: ['apikey'] }],
      ['hide_credentials', { type: 'boolean', required: true, default: false }],
      ['anonymous', { type: 'string' }],
      ['key_in_header', { type: 'boolean', required: true, default: true }],
      ['key_in_query', { type: 'boolean', required: true, default: true }],
      ['key_in_body', { type: 'boolean', required: true, default: false }],
      ['run_on_preflight', { type: 'boolean', required: true, default: true }],
      ['realm', { type: 'string', required: false }],
      [
        'identity_realms',
        {
          type: 'array',
          elements: {
            type: 'record',
            fields: [
              ['region', { type: 'string' }],
              ['id', { type: 'string' }],
              ['scope', { type: 'string', one_of: ['cp', 'realm'] }],
            ],
          },
        },
      ],
    ],
  },
};
