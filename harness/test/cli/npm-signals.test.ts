// `npm run <command>` execs node on bin/labkit, which runs the command in that same process: npm's
// child is the command itself (no shell between to swallow a signal), and a SIGTERM to npm ends a
// kept lab with everything it started.

import { readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryStateDir } from '../classroom/scripts.js';
import { isAlive, processTree } from '../env/processes.js';
import { MARK_ENV, processesLeft, processesMarked, REPO_ROOT } from './command-process.js';

const stateDir = temporaryStateDir();
let npm: ResultPromise | undefined;
const mark = `npm-signals-${process.pid}`;

afterAll(() => {
  // Only what this test started, and only if it outlived the assertion that it must not.
  for (const pid of processesMarked(mark)) process.kill(pid, 'SIGKILL');
  npm?.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const parentOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

describe('npm run lab 3 -- --keep under npm', () => {
  it('runs as npm\'s own child, and a SIGTERM to npm leaves no process behind', { timeout: 180_000 }, async () => {
    npm = execa('npm', ['run', '--silent', 'lab', '3', '--', '--keep', '--runtime', 'local', '--upstream', 'embedded-httpbin'], {
      cwd: REPO_ROOT,
      env: { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1', [MARK_ENV]: mark },
      reject: false,
      stdin: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: npm!.stdout! }).on('line', (line) => {
        if (line.startsWith('Press Ctrl-C')) resolve();
      });
      void npm!.then((result) => reject(new Error(`npm run lab exited early (${result.exitCode}): ${String(result.stderr)}`)));
    });
    // exec: the shell npm starts the script with became node itself, npm's only child.
    const children = processTree(npm.pid!).filter((pid) => parentOf(pid) === npm!.pid);
    expect(children).toHaveLength(1);
    const [child] = children;
    const args = cmdline(child);
    expect(args[0]).toMatch(/node$/);
    expect(args.slice(1, 3)).toEqual(['bin/labkit', 'lab']);
    expect(processesMarked(mark).length).toBeGreaterThan(2);

    const exited = new Promise<void>((resolve) => npm!.once('exit', () => resolve()));
    npm.kill('SIGTERM');
    await exited;
    expect(await processesLeft(mark, 15_000)).toEqual([]);
    expect(isAlive(child)).toBe(false);
  });
});
