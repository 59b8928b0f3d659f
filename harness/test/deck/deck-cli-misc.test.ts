// The rest of the command line: several state files, the deprecated top-level commands, help and
// version, and bin/deck as the shell runs it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { deck, runningConfig, useDeckGateway } from './deck-run.js';

const DECK_BIN = fileURLToPath(new URL('../../../bin/deck', import.meta.url));
const fixture = useDeckGateway();

describe('deck command line', () => {
  it('merges several state files into one declaration, as decK does', async () => {
    const services = join(fixture.dir, 'services.yaml');
    const consumers = join(fixture.dir, 'consumers.yaml');
    writeFileSync(services, '_format_version: "3.0"\nservices:\n- name: a\n  host: 127.0.0.1\n');
    writeFileSync(consumers, '_format_version: "3.0"\nconsumers:\n- username: u\n');
    const result = await deck(['gateway', 'sync', '--kong-addr', fixture.adminUrl, services, consumers]);
    expect(result).toEqual({ code: 0, stdout: 'creating consumer u\ncreating service a\nSummary:\n  Created: 2\n  Updated: 0\n  Deleted: 0\n', stderr: '' });
    writeFileSync(consumers, '_format_version: "1.1"\nconsumers:\n- username: u\n');
    const mismatch = await deck(['gateway', 'diff', '--kong-addr', fixture.adminUrl, services, consumers]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('_format_version "1.1" differs from "3.0" of the files before it');
  });

  it("runs decK's deprecated top-level commands with its notice; they read kong.yaml by default or -s", async () => {
    const state = join(fixture.dir, 'state.yaml');
    writeFileSync(state, '_format_version: "3.0"\nservices:\n- name: b\n  host: 127.0.0.1\n');
    const result = await deck(['sync', '-s', state, '--kong-addr', fixture.adminUrl]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "Info: 'deck sync' functionality has moved to 'deck gateway sync' and will be removed\nin a future MAJOR version of deck. Migration to 'deck gateway sync' is recommended.\n",
    );
    expect(result.stdout).toContain('deleting service a');
    expect((await runningConfig(fixture.adminUrl)).services.map((service: { name: string }) => service.name)).toEqual(['b']);
    expect((await deck(['diff', '--kong-addr', fixture.adminUrl])).stderr).toContain('Error: kong.yaml: cannot read the declaration: no such file');
  });

  it('prints help (exit 0 when asked, 1 with no command) and the version', async () => {
    expect((await deck(['--help'])).code).toBe(0);
    expect((await deck(['--help'])).stdout).toContain('deck gateway sync [files...]');
    const bare = await deck([]);
    expect([bare.code, bare.stdout]).toEqual([1, '']);
    expect(bare.stderr).toContain('Usage:');
    expect((await deck(['gateway', 'sync', '--help'])).stdout).toContain('--non-zero-exit-code');
    expect((await deck(['version'])).stdout).toMatch(/^decK v\d+\.\d+\.\d+ \(the lab kit's deck, for DB-less gateways\)\n$/);
  });

  it('bin/deck runs from any folder, takes DECK_KONG_ADDR, reads stdin and passes the exit code on', async () => {
    const env = { DECK_KONG_ADDR: fixture.adminUrl, NO_COLOR: '1' };
    const ping = await execa(DECK_BIN, ['gateway', 'ping'], { cwd: fixture.dir, env, reject: false });
    expect([ping.exitCode, ping.stdout]).toEqual([0, 'Successfully connected to Kong!\nKong version:  3.11.0.0']);
    const diff = await execa(DECK_BIN, ['gateway', 'diff', '--non-zero-exit-code', '-'], {
      cwd: fixture.dir,
      env,
      input: '_format_version: "3.0"\nservices:\n- name: c\n  host: 127.0.0.1\n',
      reject: false,
    });
    expect([diff.exitCode, diff.stdout]).toEqual([2, 'creating service c\ndeleting service b\nSummary:\n  Created: 1\n  Updated: 0\n  Deleted: 1']);
  });
});
