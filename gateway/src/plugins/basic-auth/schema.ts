// kong/plugins/basic-auth/schema.lua (3.6+: realm).

import type { PluginSchema } from '../../schema/plugin-schema.js';
import { typedefs } from '../../schema/typedefs.js';

export const basicAuthSchema: PluginSchema = {
  name: 'basic-auth',
  noConsumer: true,
  protocols: typedefs.protocolsHttp,
  config: {
    type: 'record',
    fields: [
      ['anonymous', { type: 'string' }],
      ['hide_credentials', { type: 'boolean', required: true, default: false }],
      ['realm', { type: 'string', required: true, default: 'service' }],
    ],
  },
};
