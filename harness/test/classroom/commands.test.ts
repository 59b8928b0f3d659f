// The classroom commands' answers that need no environment: usage errors, help, nothing running.

import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClassroomIo } from '../../src/classroom/index.js';
import { doctorCommand, downCommand, gotoCommand, resetCommand, runCommand, statusCommand, upCommand, type CommandDefinition } from '../../src/cli/commands/index.js';
import { temporaryStateDir } from './scripts.js';

const stateDir = temporaryStateDir();
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

type Command = (argv: string[], io: ClassroomIo) => Promise<number>;

const declared = (command: CommandDefinition): Command => (argv, io) => runCommand(command, argv, io);
const runStatusCommand = declared(statusCommand);
const runResetCommand = declared(resetCommand);
const runGotoCommand = declared(gotoCommand);
const runDownCommand = declared(downCommand);
const runDoctorCommand = declared(doctorCommand);
const runUpCommand = declared(upCommand);

async function run(command: Command, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: ClassroomIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    // Wide, so that messages read line by line do not fold.
    env: { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1', COLUMNS: '200' },
  };
  return { code: await command(argv, io), stdout, stderr };
}

describe('classroom commands without an environment', () => {
  it('status says none is running (exit 3), down has nothing to stop, reset and goto say to run npm run up', async () => {
    const status = await run(runStatusCommand, []);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/^No environment is running \(nothing recorded in .*environment\.json\)\. Start one with: npm run up\n$/);
    expect(JSON.parse((await run(runStatusCommand, ['--json'])).stdout)).toEqual({ environment: null, health: null });

    const down = await run(runDownCommand, []);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('Nothing to stop');

    for (const [command, argv] of [[runResetCommand, []], [runGotoCommand, ['3']], [runResetCommand, ['3']]] as const) {
      const answer = await run(command, [...argv]);
      expect(answer.code).toBe(1);
      expect(answer.stderr).toMatch(/^error\[NO_ENVIRONMENT\]: no environment is running .*\n = fix: start one with: npm run up\n$/);
    }
  });

  it('refuses wrong command lines with exit 2 and what to type instead', async () => {
    const noLab = await run(runGotoCommand, []);
    expect(noLab.code).toBe(2);
    expect(noLab.stderr).toContain('Give the lab to go to, by number or slug.');

    const unknown = await run(runGotoCommand, ['99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error[LAB_UNKNOWN]: unknown lab "99"');
    expect(unknown.stderr).toContain('05-rate-limits');

    const external = await run(runUpCommand, ['--runtime', 'external']);
    expect(external.code).toBe(2);
    expect(external.stderr).toContain('npm run up starts an environment');

    const port = await run(runUpCommand, ['--proxy-port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--proxy-port must be a port number');

    const adminUrl = await run(runResetCommand, ['--admin-url', 'localhost:8001']);
    expect(adminUrl.code).toBe(2);
    expect(adminUrl.stderr).toContain('--admin-url must be an http:// or https:// URL');
  });

  it('answers --help with the usage, exit 0', async () => {
    for (const [command, first] of [
      [runUpCommand, 'Usage: npm run up'],
      [runStatusCommand, 'Usage: npm run status'],
      [runResetCommand, 'Usage: npm run reset'],
      [runGotoCommand, 'Usage: npm run goto'],
      [runDownCommand, 'Usage: npm run down'],
      [runDoctorCommand, 'Usage: npm run doctor'],
    ] as const) {
      const answer = await run(command, ['--help']);
      expect(answer.code).toBe(0);
      expect(answer.stdout.startsWith(first)).toBe(true);
    }
  });
});
