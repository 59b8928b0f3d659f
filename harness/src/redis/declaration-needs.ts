// Whether a declaration needs a Redis: some rate-limiting plugin in it, wherever it is nested
// (global, under a service, route or consumer), counts with `policy: redis`.

import yaml from 'js-yaml';

/** The same for a declaration already parsed. */
export function documentUsesRedis(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(documentUsesRedis);
  if (typeof value !== 'object' || value === null) return false;
  const entity = value as { name?: unknown; config?: { policy?: unknown } };
  if (typeof entity.name === 'string' && entity.name.startsWith('rate-limiting') && entity.config?.policy === 'redis') return true;
  return Object.values(value).some(documentUsesRedis);
}

/** Text that is not YAML needs nothing here: the sync that follows reports it, with its position. */
export function declarationUsesRedis(text: string): boolean {
  try {
    return documentUsesRedis(yaml.load(text));
  } catch {
    return false;
  }
}
