// What a bench run is asked for (harness/src/cli/commands/bench.ts reads it off the command line).

import type { Section } from './configurations.js';

export interface BenchOptions {
  quick: boolean;
  /** Write the results as JSON here. */
  jsonFile: string | null;
  rounds: number;
  /** Seconds of saturating load per configuration per round. */
  durationSeconds: number;
  /** Seconds of load per configuration before the first round (JIT, connection pools), not recorded. */
  warmupSeconds: number;
  connections: number;
  /** Requests per second of the fixed-rate latency runs. */
  fixedRate: number;
  /** Requests per second each server of a fixed-rate side-by-side pair (a plugin's cost) gets. */
  pairRate: number;
  fixedRateSeconds: number;
  /** Write V8 CPU profiles of the gateways and the minimal proxies here and summarise them. */
  profileDir: string | null;
  labs: boolean;
  /**
   * Run only these sections: `startup` (how fast commands answer), `plugins`, `redis`, `nodes` (their
   * load runs, beside the configurations they are compared with). null: everything.
   */
  only: Section[] | null;
  /** Run servers and load at nice -10 (root only), so neighbours on a shared machine disturb less. */
  priority: boolean;
  load: 'auto' | 'wrk' | 'autocannon';
  upstream: 'auto' | 'nginx' | 'embedded';
}

export const DEFAULT_OPTIONS: Readonly<BenchOptions> = {
  quick: false,
  jsonFile: null,
  rounds: 5,
  durationSeconds: 8,
  warmupSeconds: 4,
  connections: 50,
  fixedRate: 2000,
  pairRate: 800,
  fixedRateSeconds: 5,
  profileDir: null,
  labs: true,
  only: null,
  priority: true,
  load: 'auto',
  upstream: 'auto',
};

/** --quick: a few seconds per configuration; the figures are rougher, the ratios still paired. */
export const QUICK_OPTIONS: Readonly<Partial<BenchOptions>> = { rounds: 3, durationSeconds: 2, warmupSeconds: 1, fixedRateSeconds: 2 };
