import { describe, expect, it } from 'vitest';
import { median, percentile, roundDifferences, roundRatios, spread } from '../../src/bench/stats.js';

describe('median and spread', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('ignores rounds that were not measured', () => {
    expect(spread([10, Number.NaN, 30, 20])).toEqual({ median: 20, min: 10, max: 30 });
    expect(spread([Number.NaN]).median).toBeNaN();
  });
});

describe('percentile (nearest rank)', () => {
  it('picks the sample at the rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('ratios paired round by round', () => {
  it('divides each round by the same round, then takes median and range', () => {
    const gateway = [10_000, 9_000, 12_000];
    const nginx = [40_000, 30_000, 40_000];
    const ratios = roundRatios(gateway, nginx);
    expect(ratios.rounds).toBe(3);
    expect(ratios.median).toBeCloseTo(0.3, 10);
    expect(ratios.min).toBeCloseTo(0.25, 10);
    expect(ratios.max).toBeCloseTo(0.3, 10);
  });

  it('differs from the ratio of medians when the machine drifts between rounds', () => {
    // Both sides slow down together in round 2: per-round pairing keeps the ratio at 0.5.
    const ratios = roundRatios([50, 10, 50], [100, 20, 100]);
    expect(ratios).toMatchObject({ median: 0.5, min: 0.5, max: 0.5 });
  });

  it('leaves out a round where either side failed', () => {
    const ratios = roundRatios([1, Number.NaN, 3], [2, 2, Number.NaN]);
    expect(ratios.rounds).toBe(1);
    expect(ratios.median).toBe(0.5);
    expect(roundRatios([1], [0]).rounds).toBe(0);
  });

  it('subtracts round by round for added latency', () => {
    const added = roundDifferences([1.5, 1.2, 2.0], [0.5, 0.4, 0.6]);
    expect(added.median).toBeCloseTo(1.0, 10);
    expect(added.min).toBeCloseTo(0.8, 10);
    expect(added.max).toBeCloseTo(1.4, 10);
  });
});
