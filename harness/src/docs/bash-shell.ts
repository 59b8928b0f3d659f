// Runs a page's command in bash, as a reader's shell would after `eval "$(npm run --silent env)"`: the
// environment's export lines (deck/shell-env.ts), the chapter's own exports, then the command, in the
// chapter's scratch folder, with stdout and stderr kept apart and a time limit after which the command and
// everything it started are killed. Which way a run goes (bash, or the built-in emulation) is chosen here.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { exportLines } from '../deck/shell-env.js';
import { findOnPath } from '../env/executables.js';
import { KONG_ADMIN_PORT, KONG_PROXY_PORT } from '../constants.js';
import { LabkitError } from '../errors/labkit-error.js';

export { shellQuoted } from '../deck/shell-env.js';
export { findOnPath } from '../env/executables.js';

export const SHELL_CHOICES = ['auto', 'bash', 'builtin'] as const;
export type ShellRequest = (typeof SHELL_CHOICES)[number];

/** Long enough for any page's command on a loaded CI machine; a command that takes longer is stuck. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

export interface ShellChoice {
  shell: 'bash' | 'builtin';
  /** For the report: `bash (/usr/bin/bash) with curl 7.88.1`, or why the built-in emulation runs. */
  description: string;
  /** The PATH the commands run with (the kit's bin/ goes first, as `npm run env` puts it). */
  path: string;
}

/** `--shell bash` where bash or curl is missing: a usage problem, said before anything starts. */
export class ShellUnavailableError extends LabkitError {
  constructor(message: string) {
    super('SHELL_UNAVAILABLE', { problem: message });
    this.name = 'ShellUnavailableError';
  }
}

export async function chooseShell(request: ShellRequest, path: string = process.env.PATH ?? ''): Promise<ShellChoice> {
  if (request === 'builtin') return { shell: 'builtin', description: 'the built-in curl emulation (--shell builtin)', path };
  const bash = findOnPath('bash', path);
  const curl = findOnPath('curl', path);
  const missing = [bash ? undefined : 'bash', curl ? undefined : 'curl'].filter((name) => name !== undefined);
  if (missing.length > 0) {
    const why = `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not on PATH`;
    if (request === 'bash') throw new ShellUnavailableError(`--shell bash: ${why}; install them, or use --shell builtin`);
    return { shell: 'builtin', description: `the built-in curl emulation (${why})`, path };
  }
  const version = await execa(curl!, ['--version'], { reject: false, env: { PATH: path } }).then((run) => /^curl (\S+)/.exec(run.stdout)?.[1], () => undefined);
  return { shell: 'bash', description: `bash (${bash}) with curl ${version ?? '(version unknown)'}`, path };
}

export interface BashRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Killed at the time limit. */
  timedOut: boolean;
}

/** What one run of verify-docs gives every command: the environment's addresses, PATH, curl's config, the limit. */
export interface BashSession {
  proxyUrl: string;
  adminUrl: string;
  /** The other gateway nodes' Admin APIs: the kit's deck syncs them too. */
  replicaAdminUrls?: readonly string[];
  path: string;
  timeoutMs: number;
  /** A CURL_HOME whose .curlrc sends `localhost:8000`/`:8001` (Kong's defaults, as pages write them) to the environment. */
  curlHome: string;
}

function hostPort(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
}

function writeCurlrc(curlHome: string, proxyUrl: string, adminUrl: string): void {
  const proxy = hostPort(proxyUrl);
  const admin = hostPort(adminUrl);
  const rules = ['localhost', '127.0.0.1'].flatMap((host) => [`connect-to = "${host}:${KONG_PROXY_PORT}:${proxy}"`, `connect-to = "${host}:${KONG_ADMIN_PORT}:${admin}"`]);
  writeFileSync(join(curlHome, '.curlrc'), `${rules.join('\n')}\n`);
}

export function openBashSession(options: { proxyUrl: string; adminUrl: string; replicaAdminUrls?: readonly string[]; path: string; timeoutMs?: number }): BashSession & { close: () => void } {
  const curlHome = mkdtempSync(join(tmpdir(), 'verify-docs-curl-'));
  writeCurlrc(curlHome, options.proxyUrl, options.adminUrl);
  return {
    proxyUrl: options.proxyUrl,
    adminUrl: options.adminUrl,
    replicaAdminUrls: options.replicaAdminUrls,
    path: options.path,
    timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    curlHome,
    close: () => rmSync(curlHome, { recursive: true, force: true }),
  };
}

/** After the environment changed its nodes (a page scaled it): later commands reach its proxy and every node's Admin API. */
export function retargetBashSession(session: BashSession, env: { proxyUrl: string; adminUrl: string; nodes?: readonly { adminUrl: string }[] }): void {
  session.proxyUrl = env.proxyUrl;
  session.adminUrl = env.adminUrl;
  session.replicaAdminUrls = (env.nodes ?? []).slice(1).map((node) => node.adminUrl);
  writeCurlrc(session.curlHome, env.proxyUrl, env.adminUrl);
}

/** `exports`: the chapter's own `export NAME=…` lines so far, after the environment's. */
export async function runInBash(command: string, session: BashSession, options: { cwd: string; exports: readonly string[] }): Promise<BashRun> {
  const script = [exportLines(session.proxyUrl, session.adminUrl, session.replicaAdminUrls), ...options.exports, command, ''].join('\n');
  const child = execa('bash', ['-c', script], {
    cwd: options.cwd,
    env: { ...process.env, PATH: session.path, CURL_HOME: session.curlHome, NO_COLOR: '1' },
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    stripFinalNewline: false,
    // Its own process group, so that the time limit kills what the command started too (a curl, a pipe).
    detached: true,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, session.timeoutMs);
  try {
    const result = await child;
    return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode: result.exitCode ?? -1, timedOut };
  } finally {
    clearTimeout(timer);
  }
}
