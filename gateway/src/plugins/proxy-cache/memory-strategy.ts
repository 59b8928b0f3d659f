// proxy-cache's `memory` strategy: Kong keeps entries in the kong_db_cache shared dict, where a full
// dict evicts its least recently used entries. Ours is one Map per dictionary per gateway, bounded in
// bytes (KONG_MEM_CACHE_SIZE, Kong's own size of that dict), evicting the least recently used first.

/** What Kong stores per key (strategies/memory.lua encodes this table as JSON). */
export interface CachedResponse {
  status: number;
  /** The response headers as the header filter saw them: names as sent, repeated names as arrays. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  body_len: number;
  /** Seconds since the epoch when stored. */
  timestamp: number;
  /** Seconds the response is fresh for (cache_ttl, or the Cache-Control lifetime). */
  ttl: number;
  version: number;
  req_body: string | null;
}

interface Entry {
  value: CachedResponse;
  /** Epoch ms after which the entry is gone (storage ttl). */
  expiresAt: number;
  bytes: number;
}

function sizeOf(key: string, value: CachedResponse): number {
  let bytes = key.length + value.body.length + (value.req_body?.length ?? 0) + 64;
  for (const [name, v] of Object.entries(value.headers)) {
    bytes += name.length + (typeof v === 'string' ? v.length : v.reduce((sum, one) => sum + one.length + 2, 0));
  }
  return bytes;
}

export class MemoryStrategy {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(readonly capacityBytes: number) {}

  /** False when the entry alone is larger than the whole dictionary (Kong's shm answers "no memory"). */
  store(key: string, value: CachedResponse, ttlSeconds: number, nowMs = Date.now()): boolean {
    const bytes = sizeOf(key, value);
    if (bytes > this.capacityBytes) return false;
    this.purge(key);
    // ngx.shared.DICT:set with ttl 0 never expires.
    const expiresAt = ttlSeconds > 0 ? nowMs + ttlSeconds * 1000 : Number.POSITIVE_INFINITY;
    this.#entries.set(key, { value, expiresAt, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.capacityBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    return true;
  }

  /** The entry, now the most recently used; undefined when missing or past its storage ttl. */
  fetch(key: string, nowMs = Date.now()): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.purge(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  purge(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  flush(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Kong's dict for proxy-cache entries; the only one this gateway defines. */
export const DEFAULT_DICTIONARY = 'kong_db_cache';

/** The shared dicts of one running gateway: its own, never another gateway's in the same process. */
export class ProxyCacheStores {
  readonly #dictionaries = new Map<string, MemoryStrategy>();

  constructor(readonly capacityBytes: number) {}

  static knows(dictionaryName: string): boolean {
    return dictionaryName === DEFAULT_DICTIONARY;
  }

  dictionary(name: string): MemoryStrategy {
    let dictionary = this.#dictionaries.get(name);
    if (dictionary === undefined) this.#dictionaries.set(name, (dictionary = new MemoryStrategy(this.capacityBytes)));
    return dictionary;
  }

  flushAll(): void {
    for (const dictionary of this.#dictionaries.values()) dictionary.flush();
  }
}
