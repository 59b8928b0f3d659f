// GET /endpoints (kong/api/routes/kong.lua): every path template this Admin API serves, with
// Kong's `{param}` names (the schema name) and Kong's segment-wise sort order.

import { COLLECTION_SPECS, EMPTY_COLLECTIONS, nestedChild } from './collections.js';

const NODE_ENDPOINTS = [
  '/',
  '/config',
  '/endpoints',
  '/plugins/enabled',
  // proxy-cache's api.lua.
  '/proxy-cache',
  '/proxy-cache/{cache_key}',
  '/proxy-cache/{plugin_id}/caches/{cache_key}',
  '/schemas/{db_entity_name}/validate',
  '/schemas/{name}',
  '/schemas/plugins/validate',
  '/schemas/plugins/{name}',
  '/status',
  '/status/ready',
];

export function listEndpoints(): string[] {
  const paths = new Set<string>(NODE_ENDPOINTS);
  for (const spec of COLLECTION_SPECS) {
    const entity = `/${spec.path}/{${spec.collection}}`;
    paths.add(`/${spec.path}`);
    paths.add(entity);
    for (const fk of spec.foreignKeys) paths.add(`${entity}/${fk.field}`);
    for (const child of COLLECTION_SPECS) {
      if (nestedChild(spec, child.nestedPath)?.spec !== child) continue;
      paths.add(`${entity}/${child.nestedPath}`);
      paths.add(`${entity}/${child.nestedPath}/{${child.collection}}`);
    }
  }
  for (const empty of EMPTY_COLLECTIONS) {
    paths.add(`/${empty.path}`);
    paths.add(`/${empty.path}/{${empty.schemaName}}`);
  }
  // Kong sorts segment-wise: '/' sorts before every other character.
  const key = (path: string) => path.replace(/\//g, '\0');
  return [...paths].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
