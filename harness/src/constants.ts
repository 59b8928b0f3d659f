// The kit's fixed places and numbers, defined once: where the repository and its parts are, Kong's
// default ports (the slides' URLs), the loopback address everything of ours listens on, and the
// names the workshop's declarations give the services they reach.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LABS_DIR = join(REPO_ROOT, 'labs/');
export const CONTENT_DIR = join(REPO_ROOT, 'content');
export const KIT_BIN_DIR = join(REPO_ROOT, 'bin');
export const GATEWAY_MAIN = join(REPO_ROOT, 'gateway/src/main.ts');
/** Where `npm run up` records its environment and logs, unless STATE_DIR_ENV names another folder. */
export const DEFAULT_STATE_DIR = join(REPO_ROOT, '.labkit');
export const STATE_DIR_ENV = 'LABKIT_STATE_DIR';

/** Every server of ours listens here unless told otherwise (the Admin API above all). */
export const LOOPBACK = '127.0.0.1';
/** Kong's default proxy and Admin API ports: what pages and slides write (localhost:8000, :8001). */
export const KONG_PROXY_PORT = 8000;
export const KONG_ADMIN_PORT = 8001;

/** The workshop's Kubernetes service for httpbin, as its declarations name it. */
export const WORKSHOP_HTTPBIN_HOST = 'httpbin.kong.svc.cluster.local';
export const WORKSHOP_HTTPBIN_PORT = 8000;
export const WORKSHOP_UPSTREAM = `${WORKSHOP_HTTPBIN_HOST}:${WORKSHOP_HTTPBIN_PORT}`;
/** The workshop's Redis for `policy: redis`. */
export const WORKSHOP_REDIS_HOST = 'redis-stack.redis.svc.cluster.local';
export const WORKSHOP_REDIS_PORT = 6379;
export const WORKSHOP_REDIS = `${WORKSHOP_REDIS_HOST}:${WORKSHOP_REDIS_PORT}`;
