import { describe, expect, it } from 'vitest';
import { cachedCounterKey, counterKey } from '../../src/plugins/rate-limiting/counters.js';

describe('cachedCounterKey', () => {
  it('equals counterKey whichever part changes between calls', () => {
    const calls: Parameters<typeof counterKey>[] = [
      ['r1', 's1', 'c1', 60_000, 'minute'],
      ['r1', 's1', 'c1', 60_000, 'minute'],
      ['r1', 's1', 'c2', 60_000, 'minute'],
      ['r1', 's1', 'c2', 120_000, 'minute'],
      [null, 's1', 'c2', 120_000, 'minute'],
      [null, null, 'c2', 120_000, 'minute'],
      [null, null, 'c2', 120_000, 'hour'],
      [null, null, 'c2', 120_000, 'minute'],
      ['r2', null, '::1', 0, 'second'],
    ];
    for (const args of calls) expect(cachedCounterKey(...args)).toBe(counterKey(...args));
  });
});
