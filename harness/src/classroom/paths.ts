// Where a classroom environment keeps its record and logs: `.labkit/` at the repository root
// (git-ignored), or LABKIT_STATE_DIR (tests use a temporary folder so they never touch the real one).

import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STATE_DIR, STATE_DIR_ENV } from '../constants.js';

export { GATEWAY_MAIN, REPO_ROOT, STATE_DIR_ENV } from '../constants.js';
export const EMBEDDED_HTTPBIN_MAIN = fileURLToPath(new URL('./embedded-httpbin-main.ts', import.meta.url));
export const BALANCER_MAIN = fileURLToPath(new URL('./balancer-main.ts', import.meta.url));
export const CONTAINER_KEEPER_MAIN = fileURLToPath(new URL('./container-keeper-main.ts', import.meta.url));

export type LogName = 'gateway' | 'httpbin' | 'keeper' | 'balancer' | 'redis' | `gateway-${number}`;

export interface StatePaths {
  dir: string;
  /** The record of the running environment. */
  stateFile: string;
  /** `gateway-2`…: the other nodes of `npm run up -- --nodes N`. */
  log(name: LogName): string;
}

export function statePaths(env: NodeJS.ProcessEnv = process.env): StatePaths {
  const dir = resolve(env[STATE_DIR_ENV]?.trim() || DEFAULT_STATE_DIR);
  return {
    dir,
    stateFile: join(dir, 'environment.json'),
    log: (name) => join(dir, `${name}.log`),
  };
}

/** A path as people should read it: relative to the working directory when inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
