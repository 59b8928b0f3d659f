import { describe, expect, it } from 'vitest';
import { LocalCounterStore, counterKey, parseCounterKey } from '../../src/plugins/rate-limiting/counters.js';
import { luaNumberToString } from '../../src/plugins/rate-limiting/lua-number.js';
import { WINDOW_SECONDS, secondsToReset, windowEnd, windowStart } from '../../src/plugins/rate-limiting/windows.js';

describe('windows aligned to the UTC calendar', () => {
  const t = Date.UTC(2024, 1, 29, 13, 45, 27, 814); // 2024-02-29T13:45:27.814Z (leap day)

  it('starts each window at the calendar boundary', () => {
    expect(windowStart('second', t)).toBe(Date.UTC(2024, 1, 29, 13, 45, 27));
    expect(windowStart('minute', t)).toBe(Date.UTC(2024, 1, 29, 13, 45));
    expect(windowStart('hour', t)).toBe(Date.UTC(2024, 1, 29, 13));
    expect(windowStart('day', t)).toBe(Date.UTC(2024, 1, 29));
    expect(windowStart('month', t)).toBe(Date.UTC(2024, 1, 1));
    expect(windowStart('year', t)).toBe(Date.UTC(2024, 0, 1));
  });

  it('ends month and year windows at the next calendar month/year', () => {
    expect(windowEnd('month', Date.UTC(2024, 1, 1))).toBe(Date.UTC(2024, 2, 1));
    expect(windowEnd('month', Date.UTC(2024, 11, 1))).toBe(Date.UTC(2025, 0, 1));
    expect(windowEnd('year', Date.UTC(2024, 0, 1))).toBe(Date.UTC(2025, 0, 1));
    expect(windowEnd('minute', Date.UTC(2024, 1, 29, 13, 45))).toBe(Date.UTC(2024, 1, 29, 13, 46));
  });

  it("uses Kong's flat lengths for Reset: month 30 days, year 365 days, at least 1", () => {
    expect(WINDOW_SECONDS).toEqual({ second: 1, minute: 60, hour: 3600, day: 86400, month: 2592000, year: 31536000 });
    expect(secondsToReset('minute', Date.UTC(2025, 7, 11, 14, 47, 49), Date.UTC(2025, 7, 11, 14, 47))).toBe(11);
    expect(secondsToReset('month', Date.UTC(2025, 1, 10), Date.UTC(2025, 1, 1))).toBe(2592000 - 9 * 86400);
    // Day 31 of a month is past 30 days: Kong still announces 1.
    expect(secondsToReset('month', Date.UTC(2025, 0, 31, 12), Date.UTC(2025, 0, 1))).toBe(1);
    expect(secondsToReset('second', Date.UTC(2025, 0, 1, 0, 0, 0, 999), Date.UTC(2025, 0, 1))).toBe(1);
  });
});

describe('luaNumberToString (%.14g)', () => {
  it('renders like Lua tostring', () => {
    expect(luaNumberToString(5)).toBe('5');
    expect(luaNumberToString(0)).toBe('0');
    expect(luaNumberToString(5.5)).toBe('5.5');
    expect(luaNumberToString(0.1 + 0.2)).toBe('0.3');
    expect(luaNumberToString(2592000)).toBe('2592000');
    expect(luaNumberToString(12345678901234)).toBe('12345678901234');
    expect(luaNumberToString(1e14)).toBe('1e+14');
    expect(luaNumberToString(1e15)).toBe('1e+15');
    expect(luaNumberToString(0.0001)).toBe('0.0001');
    expect(luaNumberToString(0.00001)).toBe('1e-05');
    expect(luaNumberToString(-1.5)).toBe('-1.5');
  });
});

describe('counter keys', () => {
  it("follow Kong's get_local_key, with the zero UUID for an unscoped plugin", () => {
    const key = counterKey(null, 'svc', '10.0.0.1', 1754923620000, 'minute');
    expect(key).toBe('ratelimit:00000000-0000-0000-0000-000000000000:svc:10.0.0.1:1754923620000:minute');
  });

  it('parse back, identifiers with colons (IPv6) included', () => {
    const key = counterKey('r', null, '2001:db8::1', 1000, 'second');
    expect(parseCounterKey(key)).toEqual({
      routeId: 'r',
      serviceId: '00000000-0000-0000-0000-000000000000',
      identifier: '2001:db8::1',
      windowStart: 1000,
      period: 'second',
    });
    expect(parseCounterKey('something-else')).toBeNull();
  });
});

describe('LocalCounterStore', () => {
  it('counts, and keeps the expiry a counter was created with', () => {
    const store = new LocalCounterStore();
    expect(store.get('k', 0)).toBe(0);
    expect(store.increment('k', 0, 60_000)).toBe(1);
    expect(store.increment('k', 1_000, 999_999)).toBe(2);
    expect(store.get('k', 59_999)).toBe(2);
    expect(store.get('k', 60_000)).toBe(0);
    expect(store.size()).toBe(0);
    store.clear();
  });

  it('frees expired windows so memory stays bounded with many identifiers', () => {
    const store = new LocalCounterStore();
    const minute = Date.UTC(2025, 0, 1, 10, 0);
    for (let i = 0; i < 5000; i++) store.increment(`ip-${i}`, minute + (i % 60) * 1000, minute + 60_000);
    expect(store.size()).toBe(5000);
    // The next minute's first write sweeps the whole previous minute.
    store.increment('ip-0-next', minute + 60_000, minute + 120_000);
    expect(store.size()).toBe(1);
    store.sweep(minute + 120_000);
    expect(store.size()).toBe(0);
    store.clear();
  });

  it('a key re-created after expiry is not dropped by the sweep of its older bucket', () => {
    const store = new LocalCounterStore();
    store.increment('k', 0, 1_500);
    expect(store.get('k', 1_600)).toBe(0); // lazily expired
    store.increment('k', 1_600, 10_000);
    store.sweep(2_000); // bucket of the first life (second 2)
    expect(store.get('k', 2_000)).toBe(1);
    store.clear();
  });

  it('snapshots live counters without expired ones, and clear() empties it', () => {
    const store = new LocalCounterStore();
    store.increment(counterKey(null, null, 'consumer-1', 0, 'minute'), 0, 60_000);
    store.increment(counterKey(null, null, 'consumer-2', 0, 'second'), 0, 1_000);
    expect(store.entries(500).map((e) => e.key)).toHaveLength(2);
    expect(store.usage(5_000)).toEqual([
      {
        routeId: '00000000-0000-0000-0000-000000000000',
        serviceId: '00000000-0000-0000-0000-000000000000',
        identifier: 'consumer-1',
        period: 'minute',
        windowStart: 0,
        count: 1,
        expiresAt: 60_000,
      },
    ]);
    store.clear();
    expect(store.size()).toBe(0);
    expect(store.entries(0)).toEqual([]);
  });
});
