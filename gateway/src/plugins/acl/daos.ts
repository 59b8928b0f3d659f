// kong/plugins/acl/daos.lua: a consumer's groups, one row per group.

import { typedefs } from '../../schema/typedefs.js';
import type { EntitySchemaDef } from '../../schema/types.js';

export const aclGroupSchema: EntitySchemaDef = {
  type: 'record',
  name: 'acls',
  primary_key: ['id'],
  cache_key: ['consumer', 'group'],
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['consumer', typedefs.consumerOwner],
    ['group', { type: 'string', required: true }],
    ['tags', typedefs.tags],
  ],
};
