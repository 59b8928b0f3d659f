// The credential entities of the lab plugins (kong/plugins/{key-auth,basic-auth,acl}/daos.lua).

import { typedefs } from '../typedefs.js';
import type { EntitySchemaDef, FieldDef } from '../types.js';

const consumerFk: FieldDef = { type: 'foreign', reference: 'consumers', required: true };

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
    ['consumer', consumerFk],
    ['key', { type: 'string', unique: true, auto: true }],
    ['ttl', typedefs.ttl],
    ['tags', typedefs.tags],
  ],
};

export const basicauthCredentialSchema: EntitySchemaDef = {
  type: 'record',
  name: 'basicauth_credentials',
  primary_key: ['id'],
  endpoint_key: 'username',
  cache_key: ['username'],
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['consumer', consumerFk],
    ['username', { type: 'string', required: true, unique: true }],
    ['password', { type: 'string', required: true }],
    ['tags', typedefs.tags],
  ],
};

export const aclSchema: EntitySchemaDef = {
  type: 'record',
  name: 'acls',
  primary_key: ['id'],
  cache_key: ['consumer', 'group'],
  fields: [
    ['id', typedefs.uuid],
    ['created_at', typedefs.autoTimestampS],
    ['consumer', consumerFk],
    ['group', { type: 'string', required: true }],
    ['tags', typedefs.tags],
  ],
};
