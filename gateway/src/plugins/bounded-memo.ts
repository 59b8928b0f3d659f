// A memo that keeps at most `limit` entries, the oldest written making room: plugins remember
// per-request results (verified credentials, transformed queries) without letting clients grow it.

export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    // Insertion order is age.
    if (this.#entries.size >= this.limit && !this.#entries.has(key)) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }
}
