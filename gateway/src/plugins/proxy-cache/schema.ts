// kong/plugins/proxy-cache/schema.lua (3.11). Kong's open-source proxy-cache has one strategy,
// `memory`, so `redis` gets Kong's own "expected one of: memory" (proxy-cache-advanced is EE).

import type { PluginSchema } from '../../schema/plugin-schema.js';
import { typedefs } from '../../schema/typedefs.js';
import { ProxyCacheStores } from './memory-strategy.js';

/** Kong's custom_entity_check: the dict must exist in the nginx template (we define kong_db_cache only). */
function checkDictionary(entity: Record<string, unknown>): string | null {
  const config = entity.config as { strategy?: unknown; memory?: { dictionary_name?: unknown } } | undefined;
  if (config?.strategy !== 'memory') return null;
  const name = config.memory?.dictionary_name;
  if (typeof name !== 'string' || ProxyCacheStores.knows(name)) return null;
  return `missing shared dict '${name}'`;
}

export const proxyCacheSchema: PluginSchema = {
  name: 'proxy-cache',
  protocols: typedefs.protocols,
  config: {
    type: 'record',
    fields: [
      [
        'response_code',
        { type: 'array', required: true, default: [200, 301, 404], len_min: 1, elements: { type: 'integer', between: [100, 900] } },
      ],
      [
        'request_method',
        { type: 'array', required: true, default: ['GET', 'HEAD'], elements: { type: 'string', one_of: ['HEAD', 'GET', 'POST', 'PATCH', 'PUT'] } },
      ],
      ['content_type', { type: 'array', required: true, default: ['text/plain', 'application/json'], elements: { type: 'string' } }],
      ['cache_ttl', { type: 'integer', default: 300, gt: 0 }],
      ['strategy', { type: 'string', required: true, one_of: ['memory'] }],
      ['cache_control', { type: 'boolean', required: true, default: false }],
      ['ignore_uri_case', { type: 'boolean', required: false, default: false }],
      ['storage_ttl', { type: 'integer' }],
      [
        'memory',
        // Kong's metaschema makes records required, so their defaults always fill in.
        { type: 'record', required: true, fields: [['dictionary_name', { type: 'string', required: true, default: 'kong_db_cache' }]] },
      ],
      ['vary_query_params', { type: 'array', elements: { type: 'string' } }],
      ['vary_headers', { type: 'array', elements: { type: 'string' } }],
      [
        'response_headers',
        {
          type: 'record',
          required: true,
          fields: [
            ['age', { type: 'boolean', default: true }],
            ['X-Cache-Status', { type: 'boolean', default: true }],
            ['X-Cache-Key', { type: 'boolean', default: true }],
          ],
        },
      ],
    ],
  },
  entityChecks: [{ custom_entity_check: { field_sources: ['config'], fn: checkDictionary } }],
};

export interface ProxyCacheConfig {
  response_code: number[];
  request_method: string[];
  content_type: string[];
  cache_ttl: number;
  strategy: 'memory';
  cache_control: boolean;
  ignore_uri_case: boolean;
  storage_ttl: number | null;
  memory: { dictionary_name: string };
  vary_query_params: string[] | null;
  vary_headers: string[] | null;
  response_headers: { age: boolean; 'X-Cache-Status': boolean; 'X-Cache-Key': boolean };
}
