// What npm does around our commands: flags given without `--` (npm keeps them as its own settings),
// and its banner on stdout (`npm run --silent` keeps stdout the command's, so --json parses).

import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError } from '../../src/cli/index.js';
import { npmBannerNote, swallowedNpmFlags } from '../../src/cli/npm-config-flags.js';
import { loadLabs } from '../../src/spec/discover.js';
import { temporaryStateDir } from '../classroom/scripts.js';
import { REPO_ROOT } from './command-process.js';

const stateDir = temporaryStateDir();
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const LAB_OPTIONS = { keep: { type: 'boolean' }, runtime: { type: 'string' }, 'proxy-port': { type: 'string' }, help: { type: 'boolean' } } as const;

describe('flags npm kept for itself', () => {
  const underNpm = (extra: Record<string, string>) => ({ npm_lifecycle_event: 'lab', npm_config_audit: '', ...extra });

  it('says what to type instead, values put back after their flag', () => {
    const check = (positionals: string[], env: Record<string, string>) =>
      swallowedNpmFlags({ command: 'lab', options: LAB_OPTIONS, argv: positionals, positionals, expectedPositionals: 1, env: underNpm(env) });
    expect(check(['3'], { npm_config_keep: 'true' })).toBe(
      'npm took --keep for one of its own settings: the command would run without it.\n' +
        'Flags for the command go after `--`: did you mean `npm run lab 3 -- --keep`?',
    );
    expect(check(['3', 'local'], { npm_config_runtime: 'true' })).toContain('did you mean `npm run lab 3 -- --runtime local`?');
    expect(check(['3'], { npm_config_runtime: 'local', npm_config_keep: 'true' })).toContain('did you mean `npm run lab 3 -- --keep --runtime local`?');
    expect(check(['3'], { npm_config_proxy_port: '8000' })).toContain('`npm run lab 3 -- --proxy-port 8000`');
  });

  it('stays quiet when nothing was swallowed, outside npm run, or for another npm script', () => {
    const base = { command: 'lab', options: LAB_OPTIONS, argv: ['3', '--keep'], positionals: ['3'], expectedPositionals: 1 };
    expect(swallowedNpmFlags({ ...base, env: underNpm({ npm_config_keep: 'true' }) })).toBeNull();
    expect(swallowedNpmFlags({ ...base, argv: ['3'], env: { npm_config_keep: 'true' } })).toBeNull();
    expect(swallowedNpmFlags({ ...base, argv: ['3'], env: { npm_lifecycle_event: 'test', npm_config_keep: 'true' } })).toBeNull();
    expect(swallowedNpmFlags({ ...base, argv: ['3'], env: underNpm({ npm_config_keep: '' }) })).toBeNull();
  });

  it('is a usage error of npm run lab and npm run labs', () => {
    expect(() => parseCommandArgs(['3', '--step', '--json'], 'lab')).toThrow(/--step asks on the terminal/);
    expect(() => parseCommandArgs(['3'], 'lab', underNpm({ npm_config_keep: 'true' }))).toThrow(UsageError);
    expect(() => parseCommandArgs([], 'labs', { npm_lifecycle_event: 'labs', npm_config_json: 'true' })).toThrow(/did you mean `npm run labs -- --json`\?/);
  });

  it('`npm run lab 3 --keep` refuses to run, exit 2, with the command to type', { timeout: 60_000 }, async () => {
    const run = await execa('npm', ['run', 'lab', '3', '--keep'], { cwd: REPO_ROOT, env: { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1' }, reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('did you mean `npm run lab 3 -- --keep`?');
    expect(run.stdout).not.toContain('Lab 3 ·');
  });
});

describe('--json under npm run', () => {
  it('`npm run --silent labs -- --json`: stdout parses as the JSON report', { timeout: 120_000 }, async () => {
    const run = await execa('npm', ['run', '--silent', 'labs', '--', '--json', '--runtime', 'local', '--upstream', 'embedded-httpbin'], {
      cwd: REPO_ROOT,
      env: { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1' },
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { passed: boolean; summary: { labs: number } };
    expect(report.passed).toBe(true);
    expect(report.summary.labs).toBe(loadLabs().length);
    expect(run.stderr).not.toContain('npm printed its own banner');
  });

  it('without --silent, npm\'s banner comes first on stdout, and the command says how to avoid it', { timeout: 60_000 }, async () => {
    const run = await execa('npm', ['run', 'lab', '1', '--', '--json', '--runtime', 'local', '--upstream', 'embedded-httpbin'], {
      cwd: REPO_ROOT,
      env: { LABKIT_STATE_DIR: stateDir, NO_COLOR: '1' },
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\n?> kong-key-auth-labkit@\S+ lab\n/);
    expect(() => JSON.parse(run.stdout)).toThrow();
    expect(run.stderr).toContain('npm printed its own banner on stdout before this output; for stdout that is only the JSON: npm run --silent lab -- 1 --json');
    expect(npmBannerNote('lab', ['1'], { npm_lifecycle_event: 'lab', npm_config_loglevel: 'silent' })).toBeNull();
  });
});
