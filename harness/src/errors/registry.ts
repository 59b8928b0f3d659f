// Every error code the kit prints, with its exit status and a one-line title: the one registry.
// Codes are stable (scripts and the README name them); add new ones at the end of their group.
// `fix` is what to do when the error itself has nothing more precise to say.

import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE } from './exit-codes.js';

export interface ErrorCodeInfo {
  readonly exitCode: number;
  readonly title: string;
  readonly fix: string;
}

export const ERROR_CODES = {
  // Input: the command line or a file the user wrote (exit 2).
  USAGE: { exitCode: EXIT_USAGE, title: 'the command line is not one the command takes', fix: 'see the command\'s --help' },
  LAB_UNKNOWN: { exitCode: EXIT_USAGE, title: 'no lab has that number or name', fix: 'give a lab number or slug: npm run lab 3, or npm run lab consumer1' },
  LAB_FILE_INVALID: {
    exitCode: EXIT_USAGE,
    title: 'a lab file cannot be used as written',
    fix: 'fix the lab file; its format is described in labs/README.md (editors can use labs/lab.schema.json)',
  },
  DECLARATION_INVALID: { exitCode: EXIT_USAGE, title: 'a declaration cannot be synced as written', fix: 'fix the declaration and sync again' },
  DECLARATION_REJECTED: {
    exitCode: EXIT_USAGE,
    title: 'the gateway refused the declaration; its running configuration is unchanged',
    fix: 'fix the declaration and sync again',
  },
  PAGE_INVALID: { exitCode: EXIT_USAGE, title: 'a workshop page cannot be verified as written', fix: 'fix the page; README.md (npm run verify-docs) says what a page may contain' },
  PAGE_NOT_FOUND: { exitCode: EXIT_USAGE, title: 'a page or folder named on the command line does not exist', fix: 'name pages or folders under content/' },
  EXPECTED_FAILURES_INVALID: {
    exitCode: EXIT_USAGE,
    title: 'the expected-failures file cannot be used as written',
    fix: 'each entry has page, block, message and reason (README.md, npm run verify-docs)',
  },
  SHELL_UNAVAILABLE: { exitCode: EXIT_USAGE, title: 'the shell asked for (--shell bash) is not installed', fix: 'install bash and curl, or use --shell builtin' },
  // The environment or the machine (exit 1).
  COMMAND_FAILED: { exitCode: EXIT_FAILED, title: 'the command could not do its work', fix: 'see the message above' },
  NO_ENVIRONMENT: { exitCode: EXIT_FAILED, title: 'no environment is running', fix: 'start one with: npm run up' },
  STATE_FILE_INVALID: { exitCode: EXIT_FAILED, title: 'the recorded environment cannot be read', fix: 'npm run down forgets it; then npm run up' },
  PORT_TAKEN: { exitCode: EXIT_FAILED, title: 'a port the environment must listen on is taken', fix: 'stop what listens there, choose other ports, or pass --any-port' },
  RUNTIME_UNAVAILABLE: { exitCode: EXIT_FAILED, title: 'the runtime asked for cannot be used here', fix: 'npm run doctor says what this machine has' },
  DOCKER_UNAVAILABLE: { exitCode: EXIT_FAILED, title: 'Docker does not answer, or not in a way the kit can use', fix: 'start Docker, or use --runtime local' },
  IMAGE_BUILD_FAILED: { exitCode: EXIT_FAILED, title: 'an image could not be built', fix: 'read the last build lines above; npm run images rebuilds' },
  ENVIRONMENT_START_FAILED: { exitCode: EXIT_FAILED, title: 'the environment could not be started', fix: 'read the log lines above; npm run doctor checks the machine' },
  ENVIRONMENT_UNREACHABLE: { exitCode: EXIT_FAILED, title: 'the gateway asked for does not answer as Kong does', fix: 'check the URLs given with --proxy-url and --admin-url' },
  REDIS_START_FAILED: { exitCode: EXIT_FAILED, title: 'redis-server could not be started', fix: 'apt-get install -y redis-server, or run without --redis' },
  UPSTREAM_START_FAILED: { exitCode: EXIT_FAILED, title: 'the upstream (httpbin) could not be started', fix: 'npm run doctor checks the machine' },
  SYNC_FAILED: { exitCode: EXIT_FAILED, title: 'the sync could not be completed against the gateway', fix: 'check that the gateway runs (npm run status) and sync again' },
  REQUEST_FAILED: { exitCode: EXIT_FAILED, title: 'a request got no answer', fix: 'check that the gateway runs (npm run status)' },
  ADMIN_API_FAILED: { exitCode: EXIT_FAILED, title: 'the Admin API answered, but not as Kong does', fix: 'check that --admin-url is a Kong Admin API (npm run status)' },
  BENCH_SETUP_FAILED: { exitCode: EXIT_FAILED, title: 'the bench could not set up what it measures', fix: 'read the lines above; npm run doctor checks the machine' },
  LAB_STEP_FAILED: {
    exitCode: EXIT_FAILED,
    title: "a lab's redis: stop or start step could not be done",
    fix: 'run the lab where the kit runs its Redis (--runtime local or containers); npm run doctor checks the machine',
  },
  // Stopped by the user.
  INTERRUPTED: { exitCode: EXIT_INTERRUPTED, title: 'interrupted before the work was done', fix: 'run the command again' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  return ERROR_CODES[code];
}
