// kong/plugins/basic-auth/daos.lua. The password is stored hashed (crypto.ts, applied by the loader), never as given.

import { typedefs } from '../../schema/typedefs.js';
import type { EntitySchemaDef } from '../../schema/types.js';

export const basicauthCredentialSchema: EntitySchemaDef = {
  type: 'record',
  name: 'basicauth_credentials',
  primary_key: ['id'],
  endpoint_key: 'username',
  cache_key: ['username'],
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['consumer', typedefs.consumerOwner],
    ['username', { type: 'string', required: true, unique: true }],
    ['password', { type: 'string', required: true }],
    ['tags', typedefs.tags],
  ],
};
