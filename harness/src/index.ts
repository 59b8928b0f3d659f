// The harness as a library: lab files (spec), where they run (env), how a declaration gets there (sync),
// walking through a lab (runner, result model), the two joined (session), and showing what happened
// (report); the HTTP layer all of them send through. The CLI is built on this.

export * from './spec/index.js';
export * from './runner/index.js';
export { syncLab, syncAndRunLab, type SyncedLabRun } from './session/sync-and-run.js';
export * from './report/index.js';
export { AdminApi, AdminApiError, HttpRequestError, HttpWaitError, nodeAdminApis, send, waitForHttp, type HttpResponse, type SendOptions } from './http/index.js';

export {
  startLocalEnvironment,
  connectExternalEnvironment,
  EnvironmentConnectError,
  EnvironmentStartError,
  type ExternalEnvironmentOptions,
  type LabEnvironment,
  type LocalEnvironmentOptions,
  type LocalLabEnvironment,
  type RuntimeName,
  type UpstreamChoice,
} from './env/index.js';

export {
  syncDeclarationFile,
  syncDeclarationText,
  resetGateway,
  formatSyncReport,
  SyncError,
  type SyncAction,
  type SyncChange,
  type SyncOptions,
  type SyncReport,
} from './sync/index.js';

export {
  startUpstream,
  startDebianHttpbin,
  startEmbeddedHttpbin,
  debianHttpbinAvailability,
  UpstreamStartError,
  type RunningUpstream,
} from './upstream/index.js';
export { requireOrSkip, RequiredUpstreamMissing, REQUIRE_HTTPBIN_ENV } from './upstream/requirements.js';
export { startRedisServer, redisServerAvailability, redisRequirement, RequiredRedisMissing, REQUIRE_REDIS_ENV, type RunningRedis } from './redis/index.js';

export { runLabCommand, runLabsCommand, parseCommandArgs, UsageError, type CommandIo, type CommandOptions } from './cli/index.js';
