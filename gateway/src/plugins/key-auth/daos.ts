// kong/plugins/key-auth/daos.lua: the credentials key-auth looks keys up in.

import { typedefs } from '../../schema/typedefs.js';
import type { EntitySchemaDef } from '../../schema/types.js';

export const keyauthCredentialSchema: EntitySchemaDef = {
  type: 'record',
  name: 'keyauth_credentials',
  primary_key: ['id'],
  endpoint_key: 'key',
  // The key is `auto`, so Kong never derives an id from it: ids are random unless given.
  cache_key: ['key'],
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['consumer', typedefs.consumerOwner],
    ['key', { type: 'string', unique: true, auto: true }],
    ['ttl', typedefs.ttl],
    ['tags', typedefs.tags],
  ],
};
