// Time as the runner needs it; tests pass a virtual clock so that window waits take no real time.

import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds, any epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => delay(ms),
};
