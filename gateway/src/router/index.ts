// Route matching, Kong router_flavor = traditional_compatible.

export type { RouterRequest, RouteMatch, RouteCaptures, Router } from './types.js';
export { buildRouter } from './build-router.js';
