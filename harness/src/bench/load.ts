// Runs one load measurement against one server, on the load core, bounded in time.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { autocannonArgs, autocannonCli, parseAutocannonOutput } from './autocannon.js';
import { runChild } from './child-processes.js';
import { LoadGeneratorError, type LoadResult } from './load-result.js';
import { pacedEnv, parsePacedOutput, type PacedRun } from './paced.js';
import { PROCESSES_DIR, REPO_ROOT } from './paths.js';
import { LOAD_CPU, type Pinning } from './pinning.js';
import { parseWrkOutput, WRK_DONE_SCRIPT, wrkArgs } from './wrk.js';

const PACED_CLIENT = join(PROCESSES_DIR, 'paced-client.ts');
/** Beyond the run's own duration: process start, connection set-up, the last responses. */
const RUN_SLACK_MS = 20_000;

export type LoadTool = { kind: 'wrk'; path: string; scriptPath: string } | { kind: 'autocannon'; cli: string };

export function wrkTool(path: string, tempDir: string): LoadTool {
  const scriptPath = join(tempDir, 'bench-done.lua');
  writeFileSync(scriptPath, WRK_DONE_SCRIPT);
  return { kind: 'wrk', path, scriptPath };
}

export function autocannonTool(): LoadTool | null {
  const cli = autocannonCli();
  return cli === null ? null : { kind: 'autocannon', cli };
}

export interface Target {
  url: string;
  headers: Record<string, string>;
}

function failure(tool: string, exit: { code: number | null; signal: string | null }, stderr: string): LoadGeneratorError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return new LoadGeneratorError(`${tool} ${how}${stderr ? `: ${stderr.split('\n').slice(-3).join(' | ')}` : ''}`);
}

/** Saturating load: as many requests as `connections` keep-alive connections can push. */
export async function runThroughput(
  pinning: Pinning,
  tool: LoadTool,
  target: Target,
  options: { durationSeconds: number; connections: number },
): Promise<LoadResult> {
  const timeoutMs = options.durationSeconds * 1000 + RUN_SLACK_MS;
  if (tool.kind === 'wrk') {
    const args = wrkArgs({ url: target.url, connections: options.connections, durationSeconds: options.durationSeconds, headers: target.headers, scriptPath: tool.scriptPath });
    const { exit, stdout, stderr } = await runChild({ name: 'wrk', command: tool.path, args, cpu: LOAD_CPU, pinning, timeoutMs });
    if (exit.code !== 0) throw failure('wrk', exit, stderr);
    return parseWrkOutput(stdout);
  }
  const args = [tool.cli, ...autocannonArgs({ url: target.url, connections: options.connections, durationSeconds: options.durationSeconds, headers: target.headers })];
  const { exit, stdout, stderr } = await runChild({ name: 'autocannon', command: process.execPath, args, cpu: LOAD_CPU, pinning, timeoutMs });
  if (exit.code !== 0) throw failure('autocannon', exit, stderr);
  return parseAutocannonOutput(stdout);
}

/** Open-loop load at a fixed rate, for latency where nothing is saturated. */
export async function runPaced(pinning: Pinning, target: Target, run: Omit<PacedRun, 'url' | 'headers'>): Promise<LoadResult> {
  const timeoutMs = (run.durationSeconds + run.warmupSeconds) * 1000 + RUN_SLACK_MS;
  const { exit, stdout, stderr } = await runChild({
    name: 'paced client',
    command: process.execPath,
    args: ['--import', 'tsx', PACED_CLIENT],
    env: pacedEnv({ ...run, url: target.url, headers: target.headers }),
    cpu: LOAD_CPU,
    pinning,
    cwd: REPO_ROOT,
    timeoutMs,
  });
  if (exit.code !== 0) throw failure('the paced client', exit, stderr);
  return parsePacedOutput(stdout);
}
