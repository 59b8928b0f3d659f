// Small statistics over rounds: medians and ranges, and ratios taken round by round (both sides of
// a ratio were measured minutes apart at most, so a noisy neighbour moves both).

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite) };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted, p);
}

export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * numerator[i] / denominator[i] for each round where both were measured, then median and range.
 * A round missing either side is left out rather than paired with another round.
 */
export function roundRatios(numerator: readonly number[], denominator: readonly number[]): Spread & { rounds: number } {
  const ratios: number[] = [];
  const rounds = Math.min(numerator.length, denominator.length);
  for (let i = 0; i < rounds; i++) {
    const a = numerator[i];
    const b = denominator[i];
    if (Number.isFinite(a) && Number.isFinite(b) && b > 0) ratios.push(a / b);
  }
  return { ...spread(ratios), rounds: ratios.length };
}

/** numerator[i] − denominator[i] per round (e.g. latency the gateway adds), then median and range. */
export function roundDifferences(minuend: readonly number[], subtrahend: readonly number[]): Spread & { rounds: number } {
  const differences: number[] = [];
  const rounds = Math.min(minuend.length, subtrahend.length);
  for (let i = 0; i < rounds; i++) {
    const a = minuend[i];
    const b = subtrahend[i];
    if (Number.isFinite(a) && Number.isFinite(b)) differences.push(a - b);
  }
  return { ...spread(differences), rounds: differences.length };
}
