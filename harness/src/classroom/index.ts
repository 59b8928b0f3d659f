// Classroom flows: one environment for a whole session (up, status, reset, goto, down) and the
// doctor that says why a laptop fails.

export { startClassEnvironment, type UpOptions } from './commands/up.js';
export { showStatus } from './commands/status.js';
export { gotoLab, resetEnvironment, type TargetFlags } from './commands/reset.js';
export { stopEnvironment } from './commands/down.js';
export { switchClassroomRedis, REDIS_ACTIONS, type RedisAction } from './commands/redis.js';
export { showDoctorChecks, formatCheck } from './commands/doctor.js';
export { EXIT_FAILED, EXIT_NO_ENVIRONMENT, EXIT_OK, EXIT_USAGE, type ClassroomIo, type OutputStream } from './commands/io.js';
export { runDoctorChecks, type CheckLevel, type DoctorCheck, type DoctorOptions } from './doctor-checks.js';
export { inspectEnvironment, type EnvironmentHealth } from './inspect.js';
export { statePaths, STATE_DIR_ENV, type StatePaths } from './paths.js';
export {
  readRunningEnvironment,
  isRunningEnvironment,
  recordAppliedLab,
  readEnvironmentRecord,
  StateFileError,
  type AppliedConfiguration,
  type ClassroomRuntime,
  type EnvironmentRecord,
} from './state.js';
export { ClassroomStartError, NoEnvironmentError } from './errors.js';
