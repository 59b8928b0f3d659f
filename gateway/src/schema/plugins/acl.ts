// kong/plugins/acl/schema.lua (3.8+: always_use_authenticated_groups; EE: include_consumer_groups).

import type { PluginSchema } from '../plugin-schema.js';
import { typedefs } from '../typedefs.js';

export const aclPluginSchema: PluginSchema = {
  name: 'acl',
  noConsumer: true,
  protocols: typedefs.protocolsHttp,
  config: {
    type: 'record',
    fields: [
      ['allow', { type: 'array', elements: { type: 'string' } }],
      ['deny', { type: 'array', elements: { type: 'string' } }],
      ['hide_groups_header', { type: 'boolean', required: true, default: false }],
      ['always_use_authenticated_groups', { type: 'boolean', required: true, default: false }],
      ['include_consumer_groups', { type: 'boolean', required: true, default: false }],
    ],
  },
  entityChecks: [{ only_one_of: ['config.allow', 'config.deny'] }],
};
