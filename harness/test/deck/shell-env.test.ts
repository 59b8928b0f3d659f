// `npm run env`: the export lines for eval "$(npm run --silent env)", or a clear error and exit 3.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../gateway/src/gateway.js';
import { writeEnvironmentRecord, type EnvironmentRecord } from '../../src/classroom/state.js';
import { statePaths } from '../../src/classroom/paths.js';
import { envCommand, runCommand } from '../../src/cli/commands/index.js';
import { DUMMY_PAT, KIT_BIN_DIR } from '../../src/deck/shell-env.js';
import { startDeckGateway } from './deck-run.js';

let gateway: RunningGateway;
let adminUrl: string;
let proxyUrl: string;
const dirs: string[] = [];

beforeAll(async () => {
  ({ gateway, adminUrl, proxyUrl } = await startDeckGateway());
});

afterAll(async () => {
  await gateway?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deck-env-'));
  dirs.push(dir);
  return dir;
}

function record(admin: string, proxy: string): EnvironmentRecord {
  return {
    format: 1,
    runtime: 'local',
    startedAt: new Date().toISOString(),
    proxyUrl: proxy,
    adminUrl: admin,
    upstream: { kind: 'embedded-httpbin', url: 'http://127.0.0.1:9' },
    processes: [],
    applied: null,
    notes: [],
  };
}

async function env(dir: string, argv: string[] = [], isTTY = false) {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(envCommand, argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY },
    stderr: { write: (text: string) => (stderr += text) },
    env: { LABKIT_STATE_DIR: dir },
  });
  return { code, stdout, stderr };
}

describe('npm run env', () => {
  it('prints export lines that, evaluated by bash, set the page\'s variables and put the kit\'s deck first on PATH', async () => {
    const dir = stateDir();
    writeEnvironmentRecord(record(adminUrl, proxyUrl), statePaths({ LABKIT_STATE_DIR: dir }));
    const result = await env(dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      `export DATA_PLANE_LB='${proxyUrl}'\nexport KONG_ADMIN_URL='${adminUrl}'\nexport DECK_KONG_ADDR='${adminUrl}'\n` +
        `export PAT='${DUMMY_PAT}'\nexport PATH='${KIT_BIN_DIR}':"$PATH"\n`,
    );
    const shell = await execa('bash', ['-c', `eval "$1"; echo "$DATA_PLANE_LB|$KONG_ADMIN_URL|$PAT"; command -v deck; deck gateway ping`, 'bash', result.stdout], {
      env: { PATH: '/usr/bin:/bin', NO_COLOR: '1' },
      extendEnv: false,
      // A socket on stdin makes Debian's bash read ~/.bashrc as if run by sshd.
      stdin: 'ignore',
      reject: false,
    });
    expect(shell.stderr).toBe('');
    expect(shell.stdout).toBe(`${proxyUrl}|${adminUrl}|${DUMMY_PAT}\n${join(KIT_BIN_DIR, 'deck')}\nSuccessfully connected to Kong!\nKong version:  3.11.0.0`);

    // On a terminal, the same lines and, on stderr, how to apply them.
    const onTerminal = await env(dir, [], true);
    expect(onTerminal.stdout).toBe(result.stdout);
    expect(onTerminal.stderr).toBe('These lines take effect with: eval "$(npm run --silent env)"\n');
  });

  it('exits 3 with a clear message on stderr when no environment is up, and when the recorded one does not answer', async () => {
    const none = await env(stateDir());
    expect(none.code).toBe(3);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^No environment is up \(nothing recorded in .*environment\.json\)\. Start one with npm run up, then eval "\$\(npm run --silent env\)"\.\n$/);

    const dir = stateDir();
    writeEnvironmentRecord(record('http://127.0.0.1:9', 'http://127.0.0.1:9'), statePaths({ LABKIT_STATE_DIR: dir }));
    const gone = await env(dir);
    expect(gone.code).toBe(3);
    expect(gone.stdout).toBe('');
    expect(gone.stderr).toContain('does not answer at http://127.0.0.1:9/status');
  });

  it('exits 1 on a state file it did not write, and 2 on arguments', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'environment.json'), '{"not": "ours"}');
    const broken = await env(dir);
    expect([broken.code, broken.stdout]).toEqual([1, '']);
    expect(broken.stderr).toContain('is not an environment record this lab kit wrote');
    expect((await env(dir, ['--bogus'])).code).toBe(2);
    expect((await env(dir, ['--help'])).stdout).toContain('eval "$(npm run --silent env)"');
  });
});
