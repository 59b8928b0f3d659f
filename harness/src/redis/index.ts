// A real Redis for tests and the local runtime: Debian's redis-server as a child process.
export { redisServerAvailability, startRedisServer, RedisStartError, REDIS_INSTALL_HINT, type RunningRedis, type RedisServerOptions } from './redis-server.js';
export { redisRequirement, RequiredRedisMissing, REQUIRE_REDIS_ENV } from './requirements.js';
export { reserveRedis, type EnvironmentRedis } from './on-demand.js';
export { declarationUsesRedis } from './declaration-needs.js';
export { waitUntilNodesReachRedis, type NodesReconnected } from './nodes-reconnected.js';
