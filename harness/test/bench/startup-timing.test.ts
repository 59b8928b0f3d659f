// The bench's start-up section as it is asked for and reported (the timing itself runs in the bench,
// never in a test: speed is not asserted here).

import { describe, expect, it } from 'vitest';
import { formatStartupTiming, startupTimingJson, type StartupTiming } from '../../src/bench/startup-timing.js';

const figure = (median: number, min: number, max: number) => ({ median, min, max });
const measured = (status: number, reset: number): StartupTiming => ({
  available: true,
  status: figure(status, status - 0.1, status + 0.2),
  reset: figure(reset, reset - 0.1, reset + 0.2),
  statusWithoutNpm: figure(0.3, 0.25, 0.4),
  labFirstCheck: figure(2.5, 2.4, 2.9),
  runs: { quick: 5, lab: 3 },
});

describe('--only startup', () => {
  it('reports each figure with its range, and the target against the slower of status and reset', () => {
    const met = formatStartupTiming(measured(0.6, 0.7));
    expect(met).toContain('npm run status 0.60 s (0.50 s…0.80 s), npm run reset 0.70 s (0.60 s…0.90 s) (target < 0.8 s: met)');
    expect(met).toContain('node bin/labkit status (the same without npm\'s own start) 0.30 s (0.25 s…0.40 s)');
    expect(met).toContain('npm run lab 3 to its first verified check (fresh local environment, 3 runs): 2.50 s (2.40 s…2.90 s)');
    expect(formatStartupTiming(measured(0.6, 0.9))).toContain('(target < 0.8 s: NOT met)');
    expect(formatStartupTiming({ available: false, reason: 'npm run up failed (exit 1)' })).toBe('startup timing: unavailable (npm run up failed (exit 1))');
    expect(startupTimingJson(measured(0.6, 0.7))).toMatchObject({ available: true, status_seconds: { median: 0.6 }, lab3_first_check_seconds: { median: 2.5 }, target_seconds: 0.8 });
  });
});
