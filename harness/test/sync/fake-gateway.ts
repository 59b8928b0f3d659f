// A stand-in for the gateway's POST /config + GET /config, for the pure sync tests: flattens a
// declaration the way Kong does (ids kept or generated, references turned into ids, defaults
// skipped) and returns the state GET /config would show. The real gateway is used by
// sync-gateway.test.ts.

import { createHash, randomUUID } from 'node:crypto';
import { collectionInfo, FOREIGN_COLLECTION, type RawEntity } from '../../src/deck/entity-model.js';
import { gatewayStateFromDocument, type GatewayState } from '../../src/deck/gateway-state.js';
import { NESTED_CHILDREN, walkEntities } from '../../src/deck/nesting.js';

function deterministicId(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function fakeApply(declaration: Record<string, unknown>, now = 1_700_000_000): GatewayState {
  const walked = walkEntities(declaration, (problem) => {
    throw new Error(problem.message);
  });
  const copies = new Map<(typeof walked)[number], RawEntity>();
  for (const item of walked) {
    const copy: RawEntity = { ...item.entity };
    for (const child of NESTED_CHILDREN[item.collection] ?? []) delete copy[child.key];
    const name = item.collection === 'consumers' ? copy.username : copy.name;
    if (typeof copy.id !== 'string') {
      // Kong: UUIDv5 of the endpoint key or cache key; key-auth credentials get a random id at every load.
      copy.id =
        item.collection === 'keyauth_credentials' || typeof name !== 'string'
          ? randomUUID()
          : deterministicId(`${item.collection}:${String(name)}:${item.parent ? String(item.parent.entity.name ?? item.parent.entity.username) : ''}`);
    }
    copy.created_at = now;
    copies.set(item, copy);
  }
  const find = (collection: string, ref: unknown): RawEntity | undefined => {
    const wanted = typeof ref === 'string' ? ref : (ref as { id?: string; name?: string })?.id ?? (ref as { name?: string })?.name;
    for (const [item, copy] of copies) {
      if (item.collection !== collection) continue;
      if (copy.id === wanted || copy.name === wanted || copy.username === wanted) return copy;
    }
    return undefined;
  };
  const document: Record<string, RawEntity[]> = {};
  for (const item of walked) {
    const copy = copies.get(item)!;
    if (item.parent && item.parentField) copy[item.parentField] = copies.get(item.parent)!.id;
    for (const field of collectionInfo(item.collection).foreignKeys) {
      if (field === item.parentField || copy[field] === undefined || copy[field] === null) continue;
      const target = find(FOREIGN_COLLECTION[field], copy[field]);
      if (!target) throw new Error(`invalid reference '${field}: ${String(copy[field])}'`);
      copy[field] = target.id;
    }
    (document[item.collection] ??= []).push(copy);
  }
  return gatewayStateFromDocument(document);
}
