// kong/db/schema/entities/consumers.lua

import { typedefs } from '../typedefs.js';
import type { EntitySchemaDef } from '../types.js';

export const consumerSchema: EntitySchemaDef = {
  type: 'record',
  name: 'consumers',
  primary_key: ['id'],
  endpoint_key: 'username',
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['updated_at', typedefs.autoTimestampS],
    ['username', { type: 'string', unique: true }],
    ['custom_id', { type: 'string', unique: true }],
    ['tags', typedefs.tags],
  ],
  entity_checks: [{ at_least_one_of: ['custom_id', 'username'] }],
};
