// kong/plugins/acl/schema.lua (3.8+: always_use_authenticated_groups; EE: include_consumer_groups).

import type { PluginSchema } from '../../schema/plugin-schema.js';
import { typedefs } from '../../schema/typedefs.js';

export const aclSchema: PluginSchema = {
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
  // Both, as Kong has them: only_one_of is skipped while a field is missing, so neither set is at_least_one_of's to report.
  entityChecks: [{ only_one_of: ['config.allow', 'config.deny'] }, { at_least_one_of: ['config.allow', 'config.deny'] }],
};
