// In-process counters for the rate-limiting `local` policy (Kong's kong_rate_limiting_counters shm).
// Every operation is synchronous, so a caller that reads and then increments without awaiting in
// between is atomic with respect to every other request in this process.
// Entries are freed when they expire: lazily on read, and by a sweep over expiry buckets that runs
// on every write (cheap: it only looks at the earliest bucket) and from an unref'd timer when idle.

import type { Period } from './windows.js';

/** Kong's stand-in for a plugin with no route or service in its counter keys. */
export const EMPTY_UUID = '00000000-0000-0000-0000-000000000000';
const SWEEP_INTERVAL_MS = 30_000;

interface Counter {
  count: number;
  expiresAt: number;
}

export interface CounterEntry {
  key: string;
  count: number;
  /** Epoch ms after which the counter no longer exists. */
  expiresAt: number;
}

/** A counter key taken apart, for status views. Identifiers are consumer/credential/service ids, IPs, header values or paths. */
export interface CounterUsage {
  routeId: string;
  serviceId: string;
  identifier: string;
  period: string;
  /** Window start, epoch ms. */
  windowStart: number;
  count: number;
  expiresAt: number;
}

/** Kong's get_local_key: the plugin instance's own route/service scope, not the request's. */
export function counterKey(
  routeId: string | null,
  serviceId: string | null,
  identifier: string,
  windowStartMs: number,
  period: Period,
): string {
  return `ratelimit:${routeId ?? EMPTY_UUID}:${serviceId ?? EMPTY_UUID}:${identifier}:${windowStartMs}:${period}`;
}

/** The last key built per period: consecutive requests of one client reuse the same string (and its cached hash). */
const lastKeys = new Map<Period, { routeId: string | null; serviceId: string | null; identifier: string; windowStartMs: number; key: string }>();

/** counterKey, reusing the previous result for the period when every part is the same. */
export function cachedCounterKey(
  routeId: string | null,
  serviceId: string | null,
  identifier: string,
  windowStartMs: number,
  period: Period,
): string {
  const last = lastKeys.get(period);
  if (
    last !== undefined &&
    last.windowStartMs === windowStartMs &&
    last.identifier === identifier &&
    last.routeId === routeId &&
    last.serviceId === serviceId
  ) {
    return last.key;
  }
  const key = counterKey(routeId, serviceId, identifier, windowStartMs, period);
  if (last === undefined) lastKeys.set(period, { routeId, serviceId, identifier, windowStartMs, key });
  else {
    last.routeId = routeId;
    last.serviceId = serviceId;
    last.identifier = identifier;
    last.windowStartMs = windowStartMs;
    last.key = key;
  }
  return key;
}

/** Inverse of counterKey. Identifiers may contain ':' (IPv6), so the fixed fields are taken from both ends. */
export function parseCounterKey(key: string): Omit<CounterUsage, 'count' | 'expiresAt'> | null {
  const parts = key.split(':');
  if (parts.length < 6 || parts[0] !== 'ratelimit') return null;
  return {
    routeId: parts[1],
    serviceId: parts[2],
    identifier: parts.slice(3, -2).join(':'),
    windowStart: Number(parts[parts.length - 2]),
    period: parts[parts.length - 1],
  };
}

/** A small binary min-heap of expiry seconds. */
class SecondHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(value: number): void {
    const items = this.items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right] < items[left] ? right : left;
      if (items[child] >= last) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

export class LocalCounterStore {
  private readonly counters = new Map<string, Counter>();
  /** Expiry second → keys created to expire then. */
  private readonly buckets = new Map<number, string[]>();
  private readonly bucketOrder = new SecondHeap();
  private timer: NodeJS.Timeout | null = null;
  /** Request clock and wall clock at the last write: the idle sweep advances the request clock by real elapsed time. */
  private lastNow = 0;
  private lastWall = 0;

  /** Current value of `key` at `now` (0 when absent or expired). */
  get(key: string, now: number): number {
    const counter = this.counters.get(key);
    if (counter === undefined) return 0;
    if (now >= counter.expiresAt) {
      this.counters.delete(key);
      return 0;
    }
    return counter.count;
  }

  /**
   * Adds `by` to `key` and returns the new value. A counter that does not exist yet is created to
   * expire at `expiresAt`; an existing one keeps its expiry (like ngx.shared.DICT:incr's init_ttl).
   */
  increment(key: string, now: number, expiresAt: number, by = 1): number {
    this.sweep(now);
    let counter = this.counters.get(key);
    if (counter !== undefined && now >= counter.expiresAt) counter = undefined;
    if (counter === undefined) {
      counter = { count: 0, expiresAt };
      this.counters.set(key, counter);
      this.schedule(key, expiresAt);
    }
    counter.count += by;
    this.lastNow = now;
    this.lastWall = Date.now();
    this.startTimer();
    return counter.count;
  }

  /** Drops every counter that has expired at `now`. */
  sweep(now: number): void {
    const nowSecond = Math.floor(now / 1000);
    for (let second = this.bucketOrder.peek(); second !== undefined && second <= nowSecond; second = this.bucketOrder.peek()) {
      this.bucketOrder.pop();
      const keys = this.buckets.get(second);
      this.buckets.delete(second);
      if (keys === undefined) continue;
      for (const key of keys) {
        const counter = this.counters.get(key);
        // The key may have been re-created since with a later expiry; only the expired one goes.
        if (counter !== undefined && now >= counter.expiresAt) this.counters.delete(key);
      }
    }
    if (this.counters.size === 0) this.stopTimer();
  }

  /** Forgets every counter (admin reset). */
  clear(): void {
    this.counters.clear();
    this.buckets.clear();
    this.bucketOrder.clear();
    this.stopTimer();
  }

  /** Number of counters held, expired ones not yet swept included. */
  size(): number {
    return this.counters.size;
  }

  /** Snapshot of the live counters at `now` (default: the store's clock). */
  entries(now: number = this.clock()): CounterEntry[] {
    const out: CounterEntry[] = [];
    for (const [key, counter] of this.counters) {
      if (now < counter.expiresAt) out.push({ key, count: counter.count, expiresAt: counter.expiresAt });
    }
    return out;
  }

  /** Snapshot of the live counters, keys taken apart (see CounterUsage). */
  usage(now: number = this.clock()): CounterUsage[] {
    const out: CounterUsage[] = [];
    for (const entry of this.entries(now)) {
      const parsed = parseCounterKey(entry.key);
      if (parsed) out.push({ ...parsed, count: entry.count, expiresAt: entry.expiresAt });
    }
    return out;
  }

  private schedule(key: string, expiresAt: number): void {
    // Bucket by the second at or after expiry, so the sweep at that second finds it expired.
    const second = Math.ceil(expiresAt / 1000);
    const keys = this.buckets.get(second);
    if (keys) keys.push(key);
    else {
      this.buckets.set(second, [key]);
      this.bucketOrder.push(second);
    }
  }

  /** The request clock, carried forward by real time since the last write. */
  private clock(): number {
    if (this.lastWall === 0) return Date.now();
    return this.lastNow + (Date.now() - this.lastWall);
  }

  private startTimer(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(this.clock()), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }
}
