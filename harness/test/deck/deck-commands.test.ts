// Each deck command and flag against an in-process gateway: decK's exact output, exit codes and effects.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { WORKSHOP_STEPS } from '../../../labs/declarations.js';
import { configurationHash, deck, recordingAdmin, runningConfig, useDeckGateway } from './deck-run.js';

const fixture = useDeckGateway();
const LABS_DIR = fileURLToPath(new URL('../../../labs/', import.meta.url));

function file(name: string, text: string): string {
  const path = join(fixture.dir, name);
  writeFileSync(path, text);
  return path;
}

/** deck against the test gateway, as `--kong-addr <url> <args>`. */
function run(args: string[], options: { stdin?: string } = {}) {
  return deck([...args, '--kong-addr', fixture.adminUrl], options);
}

const summary = (created: number, updated: number, deleted: number) => `Summary:\n  Created: ${created}\n  Updated: ${updated}\n  Deleted: ${deleted}\n`;
const STEP1_LINES = 'creating service httpbin-service\ncreating route httpbin-route\ncreating plugin key-auth for service httpbin-service\n';
const STAND_IN = /^deck \(lab kit\): no Konnect here; the gateway at http:\/\/127\.0\.0\.1:\d+ stands in for control plane 'kong-workshop' \(the token is not used\)\n$/;
/** A workshop declaration without `_konnect`, for the plain (not Konnect) mode. */
const withoutKonnect = (text: string) => text.replace('_konnect:\n  control_plane_name: kong-workshop\n', '');

beforeEach(async () => {
  await run(['gateway', 'reset', '-f']);
});

describe('deck gateway ping', () => {
  it("prints decK's two lines (two spaces after the colon) and exits 0", async () => {
    expect(await run(['gateway', 'ping'])).toEqual({ code: 0, stdout: 'Successfully connected to Kong!\nKong version:  3.11.0.0\n', stderr: '' });
  });

  it('in Konnect mode prints what decK prints for Konnect, and says on stderr who stands in', async () => {
    const result = await run(['gateway', 'ping', '--konnect-control-plane-name', 'kong-workshop', '--konnect-token', 'kpat_x']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Successfully Konnected to the Kong organization!\n');
    expect(result.stderr).toMatch(STAND_IN);
  });

  it("exits 1 with decK's 'reading Kong version' error when nothing answers", async () => {
    const result = await deck(['gateway', 'ping', '--kong-addr', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Error: reading Kong version: could not reach the gateway's Admin API at http:\/\/127\.0\.0\.1:9\/: connection refused\. Is the gateway running/);
  });

  it('reads the address from DECK_KONG_ADDR, and sends --headers with every request', async () => {
    const admin = await recordingAdmin();
    try {
      const result = await deck(['gateway', 'ping', '--headers', 'x-one:1', '--headers', 'x-two: 2'], { env: { DECK_KONG_ADDR: admin.url } });
      expect(result).toEqual({ code: 0, stdout: 'Successfully connected to Kong!\nKong version:  3.9.1\n', stderr: '' });
      expect(admin.requests).toHaveLength(1);
      expect(admin.requests[0]).toMatchObject({ method: 'GET', url: '/', headers: { 'x-one': '1', 'x-two': '2' } });
    } finally {
      await admin.close();
    }
  });
});

describe('deck gateway sync', () => {
  it("applies the page's four declarations with decK's lines and summaries; Konnect mode from _konnect is said once on stderr", async () => {
    const path = join(fixture.dir, 'key-auth.yaml');
    const expected = [
      STEP1_LINES + summary(3, 0, 0),
      `creating consumer consumer1\ncreating key-auth 23456 for consumer consumer1\n${summary(2, 0, 0)}`,
      `creating consumer consumer2\ncreating key-auth 87654 for consumer consumer2\n${summary(2, 0, 0)}`,
      `creating plugin rate-limiting for consumer consumer1\ncreating plugin rate-limiting for consumer consumer2\n${summary(2, 0, 0)}`,
    ];
    for (const [step, text] of WORKSHOP_STEPS.entries()) {
      writeFileSync(path, text);
      const result = await run(['gateway', 'sync', '--konnect-token', 'kpat_x', path]);
      expect(result.stdout).toBe(expected[step]);
      expect(result.stderr).toMatch(STAND_IN);
      expect(result.code).toBe(0);
    }
    expect((await run(['gateway', 'sync', path])).stdout).toBe(summary(0, 0, 0));
  });

  it('reads stdin for `-` and for no file at all', async () => {
    const declaration = withoutKonnect(WORKSHOP_STEPS[0]);
    expect(await run(['gateway', 'sync', '-'], { stdin: declaration })).toEqual({ code: 0, stdout: STEP1_LINES + summary(3, 0, 0), stderr: '' });
    await run(['gateway', 'reset', '-f']);
    expect((await run(['gateway', 'sync'], { stdin: declaration })).stdout).toBe(STEP1_LINES + summary(3, 0, 0));
  });

  it("prints an update with decK's field diff, and deletes what the file no longer has (in the select_tags scope)", async () => {
    await run(['gateway', 'sync', file('two.yaml', withoutKonnect(WORKSHOP_STEPS[1]))]);
    const { services } = await runningConfig(fixture.adminUrl);
    const changed = withoutKonnect(WORKSHOP_STEPS[0]).replace('port: 8000', 'port: 8080');
    const result = await run(['gateway', 'sync', file('changed.yaml', changed)]);
    expect(result.stdout).toBe(
      `updating service httpbin-service  {\n   "id": "${services[0].id}",\n   "name": "httpbin-service",\n-  "port": 8000\n+  "port": 8080\n }\n` +
        `deleting key-auth 23456 for consumer consumer1\ndeleting consumer consumer1\n${summary(0, 1, 2)}`,
    );
    expect((await runningConfig(fixture.adminUrl)).services[0].port).toBe(8080);
  });

  it('--select-tag scopes the sync like _info.select_tags, and must agree with it', async () => {
    const untagged = 'services:\n- name: other\n  host: 127.0.0.1\n';
    await run(['gateway', 'sync', '-'], { stdin: `_format_version: "3.0"\n${untagged}` });
    const tagged = `_format_version: "3.0"\nservices:\n- name: mine\n  host: 127.0.0.1\n`;
    const result = await run(['gateway', 'sync', '--select-tag', 'team-a', '-'], { stdin: tagged });
    expect(result.stdout).toBe(`creating service mine\n${summary(1, 0, 0)}`);
    const names = (await runningConfig(fixture.adminUrl)).services.map((service: { name: string; tags: string[] | null }) => [service.name, service.tags]);
    expect(names).toEqual(expect.arrayContaining([['other', null], ['mine', ['team-a']]]));

    const clash = await run(['gateway', 'sync', '--select-tag', 'team-b', file('tagged.yaml', WORKSHOP_STEPS[0])]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('tags specified in the state file ([httpbin-service-route]) and via --select-tags flag ([team-b]) are different');
  });

  it('refuses a --konnect-control-plane-name that differs from the file, with decK\'s message, and changes nothing', async () => {
    const before = await configurationHash(fixture.adminUrl);
    const result = await run(['gateway', 'sync', '--konnect-control-plane-name', 'other', file('cp.yaml', WORKSHOP_STEPS[0])]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // decK's line, then the line of the file it is about, with a caret.
    const line2 = WORKSHOP_STEPS[0].split('\n')[1];
    expect(result.stderr).toBe(
      `Error: ${join(fixture.dir, 'cp.yaml')}:2:1: warning: control plane 'other' specified via --konnect-[control-plane|runtime-group]-name flag is different from 'kong-workshop' found in state file(s)\n` +
        `  |\n2 | ${line2}\n  | ^\n  |\n`,
    );
    expect(await configurationHash(fixture.adminUrl)).toBe(before);
  });

  it('names the file and line of a declaration the gateway rejects, exits 1 and changes nothing', async () => {
    const before = await configurationHash(fixture.adminUrl);
    const path = file('bad.yaml', withoutKonnect(WORKSHOP_STEPS[3]).replace('minute: 5', 'minute: -5'));
    const result = await run(['gateway', 'sync', path]);
    expect(result.code).toBe(1);
    // The root cause first, at the field, then what it means; then the field's line with a caret.
    const line = withoutKonnect(WORKSHOP_STEPS[3]).split('\n').findIndex((text) => text.includes('minute: 5')) + 1;
    expect(result.stderr).toMatch(new RegExp(`^Error: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:7: plugin rate-limiting for consumer consumer1: config\\.minute: value must be greater than 0\n`));
    expect(result.stderr).toContain('\nthe gateway rejected the configuration (HTTP 400');
    expect(result.stderr).toMatch(new RegExp(`\n${line} \\|       minute: -5\n {${String(line).length + 1}}\\|       \\^\n`));
    expect(await configurationHash(fixture.adminUrl)).toBe(before);
  });

  it('--json-output prints decK\'s JSON report (tab-indented), with keys masked', async () => {
    const result = await run(['gateway', 'sync', '--json-output', file('json.yaml', withoutKonnect(WORKSHOP_STEPS[1]))]);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('}\n\n')).toBe(true);
    expect(result.stdout).toContain('\n\t"changes": {');
    const report = JSON.parse(result.stdout);
    expect(report.summary).toEqual({ creating: 5, updating: 0, deleting: 0, total: 5 });
    expect(report.changes.creating.map((entry: { kind: string; name: string }) => `${entry.kind} ${entry.name}`)).toEqual([
      'consumer consumer1',
      'service httpbin-service',
      'key-auth 23456 for consumer consumer1',
      'route httpbin-route',
      'plugin key-auth for service httpbin-service',
    ]);
    const key = report.changes.creating.find((entry: { kind: string }) => entry.kind === 'key-auth');
    expect(key.body.old).toBeNull();
    expect(key.body.new.key).toBe('[masked]');
    expect(result.stdout).not.toContain('123456');
    expect(report).toMatchObject({ changes: { updating: [], deleting: [] }, warnings: [], errors: [] });
  });

  it('rejects what decK rejects: an unknown flag, a workspace, a missing file', async () => {
    expect(await run(['gateway', 'sync', '--bogus'])).toEqual({ code: 1, stdout: '', stderr: "Error: unknown flag: --bogus\nRun 'deck gateway sync --help' for usage.\n" });
    expect((await run(['gateway', 'sync', '-w', 'team', '-'], { stdin: '_format_version: "3.0"\n' })).stderr).toBe(
      "Error: workspace 'team' does not exist: this gateway has only the default workspace\n",
    );
    const missing = await run(['gateway', 'sync', join(fixture.dir, 'nope.yaml')]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `Error: ${join(fixture.dir, 'nope.yaml')}: cannot read the declaration: no such file\n` });
    expect((await run(['gateway', 'frobnicate'])).stderr).toBe('Error: unknown command "frobnicate" for "deck gateway"\nRun \'deck gateway --help\' for usage.\n');
  });
});

describe('deck gateway diff', () => {
  it('prints what the next sync prints, changes nothing, and prints zeros once synced', async () => {
    const path = join(fixture.dir, 'diff.yaml');
    for (const text of WORKSHOP_STEPS) {
      writeFileSync(path, withoutKonnect(text));
      const before = await configurationHash(fixture.adminUrl);
      const diff = await run(['gateway', 'diff', path]);
      expect(await configurationHash(fixture.adminUrl)).toBe(before);
      const sync = await run(['gateway', 'sync', path]);
      expect(diff).toEqual(sync);
      expect(await run(['gateway', 'diff', path])).toEqual({ code: 0, stdout: summary(0, 0, 0), stderr: '' });
    }
  });

  it('predicts the sync of every lab declaration, whichever came before it', async () => {
    const labs = readdirSync(LABS_DIR).filter((name) => /^\d\d-/.test(name)).sort();
    expect(labs.length).toBeGreaterThanOrEqual(8);
    const path = join(fixture.dir, 'lab.yaml');
    // Forwards, then backwards: each declaration on top of another lab's entities.
    for (const lab of [...labs, ...[...labs].reverse()]) {
      writeFileSync(path, readFileSync(join(LABS_DIR, lab, 'key-auth.yaml'), 'utf8'));
      const diff = await run(['gateway', 'diff', path]);
      const sync = await run(['gateway', 'sync', path]);
      expect(diff, lab).toEqual(sync);
      expect((await run(['gateway', 'diff', path])).stdout, lab).toBe(summary(0, 0, 0));
    }
  });

  it("shows an update's field diff as the sync will, defaults left out", async () => {
    const path = file('update.yaml', withoutKonnect(WORKSHOP_STEPS[3]));
    await run(['gateway', 'sync', path]);
    writeFileSync(path, withoutKonnect(WORKSHOP_STEPS[3]).replace('minute: 8', 'minute: 9\n      policy: local\n      hour: 100'));
    const diff = await run(['gateway', 'diff', path]);
    const plugin = (await runningConfig(fixture.adminUrl)).plugins.find((entry: { instance_name: string }) => entry.instance_name === 'rate-limiting2');
    expect(diff.stdout).toBe(
      `updating plugin rate-limiting for consumer consumer2  {\n   "config": {\n-    "hour": null,\n+    "hour": 100,\n-    "minute": 8\n+    "minute": 9\n   },\n   "id": "${plugin.id}",\n   "name": "rate-limiting"\n }\n${summary(0, 1, 0)}`,
    );
    expect((await run(['gateway', 'sync', path])).stdout).toBe(diff.stdout);
  });

  it('--non-zero-exit-code exits 2 when there are changes and 0 when there are none', async () => {
    const path = file('nonzero.yaml', withoutKonnect(WORKSHOP_STEPS[0]));
    const changes = await run(['gateway', 'diff', '--non-zero-exit-code', path]);
    expect(changes.code).toBe(2);
    expect(changes.stdout).toBe(STEP1_LINES + summary(3, 0, 0));
    await run(['gateway', 'sync', path]);
    expect((await run(['gateway', 'diff', '--non-zero-exit-code', path])).code).toBe(0);
  });
});

describe('deck gateway apply', () => {
  it('creates and updates but never deletes', async () => {
    await run(['gateway', 'sync', file('full.yaml', withoutKonnect(WORKSHOP_STEPS[2]))]);
    const partial = withoutKonnect(WORKSHOP_STEPS[0]).replace('port: 8000', 'port: 8080');
    const result = await run(['gateway', 'apply', file('partial.yaml', partial)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^updating service httpbin-service {2}\{\n[\s\S]*\+ {2}"port": 8080\n \}\nSummary:\n {2}Created: 0\n {2}Updated: 1\n {2}Deleted: 0\n$/);
    const config = await runningConfig(fixture.adminUrl);
    expect(config.consumers.map((consumer: { username: string }) => consumer.username).sort()).toEqual(['consumer1', 'consumer2']);
    expect(config.keyauth_credentials).toHaveLength(2);
  });
});

describe('deck gateway reset', () => {
  it("asks decK's question without -f; anything but y/yes keeps everything", async () => {
    await run(['gateway', 'sync', file('r.yaml', withoutKonnect(WORKSHOP_STEPS[0]))]);
    const before = await configurationHash(fixture.adminUrl);
    expect(await run(['gateway', 'reset'], { stdin: 'n\n' })).toEqual({ code: 0, stdout: "This will delete all configuration from Kong's database.\n> Are you sure? ", stderr: '' });
    expect(await configurationHash(fixture.adminUrl)).toBe(before);
    const yes = await run(['gateway', 'reset'], { stdin: 'yes\n' });
    expect(yes.stdout).toBe(
      "This will delete all configuration from Kong's database.\n> Are you sure? " +
        `deleting plugin key-auth for service httpbin-service\ndeleting route httpbin-route\ndeleting service httpbin-service\n${summary(0, 0, 3)}`,
    );
    expect((await runningConfig(fixture.adminUrl)).services).toBeUndefined();
  });

  it('with -f deletes without asking; with --select-tag only the tagged entities', async () => {
    await run(['gateway', 'sync', '-'], { stdin: '_format_version: "3.0"\nservices:\n- name: keep\n  host: 127.0.0.1\n' });
    await run(['gateway', 'sync', file('t.yaml', withoutKonnect(WORKSHOP_STEPS[0]))]);
    const result = await run(['gateway', 'reset', '--force', '--select-tag', 'httpbin-service-route']);
    expect(result).toEqual({
      code: 0,
      stdout: `deleting plugin key-auth for service httpbin-service\ndeleting route httpbin-route\ndeleting service httpbin-service\n${summary(0, 0, 3)}`,
      stderr: '',
    });
    expect((await runningConfig(fixture.adminUrl)).services.map((service: { name: string }) => service.name)).toEqual(['keep']);
    expect((await run(['gateway', 'reset', '-f'])).stdout).toBe(`deleting service keep\n${summary(0, 0, 1)}`);
  });

  it('at the end of stdin, without an answer, exits 1 and deletes nothing', async () => {
    await run(['gateway', 'sync', file('eof.yaml', withoutKonnect(WORKSHOP_STEPS[0]))]);
    const before = await configurationHash(fixture.adminUrl);
    const result = await run(['gateway', 'reset']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: EOF\n');
    expect(await configurationHash(fixture.adminUrl)).toBe(before);
  });
});

describe('deck gateway dump', () => {
  const DUMP_SKIP_DEFAULTS = `_format_version: "3.0"
_info:
  select_tags:
  - httpbin-service-route
consumers:
- keyauth_credentials:
  - key: "123456"
    tags:
    - httpbin-service-route
  tags:
  - httpbin-service-route
  username: consumer1
services:
- host: httpbin.kong.svc.cluster.local
  name: httpbin-service
  plugins:
  - instance_name: key-auth1
    name: key-auth
    tags:
    - httpbin-service-route
  port: 8000
  routes:
  - name: httpbin-route
    paths:
    - /key-auth-route
    tags:
    - httpbin-service-route
  tags:
  - httpbin-service-route
`;

  it("writes decK's layout: nested, sorted keys, no ids or timestamps; --skip-defaults leaves the file's own values", async () => {
    await run(['gateway', 'sync', file('d.yaml', withoutKonnect(WORKSHOP_STEPS[1]))]);
    const result = await run(['gateway', 'dump', '--skip-defaults', '--select-tag', 'httpbin-service-route']);
    expect(result).toEqual({ code: 0, stdout: DUMP_SKIP_DEFAULTS, stderr: '' });
    const full = await run(['gateway', 'dump']);
    expect(full.stdout).toContain('services:\n- connect_timeout: 60000\n  enabled: true\n  host: httpbin.kong.svc.cluster.local\n  name: httpbin-service\n');
    expect(full.stdout).toContain('  routes:\n  - https_redirect_status_code: 426\n    name: httpbin-route\n    path_handling: v0\n');
    expect(full.stdout).not.toMatch(/\bid:|created_at|updated_at/);
    expect((await run(['gateway', 'dump', '--with-id'])).stdout).toMatch(/^ {2}id: [0-9a-f-]{36}$/m);
  });

  it('the dump syncs back to no changes', async () => {
    await run(['gateway', 'sync', file('back.yaml', withoutKonnect(WORKSHOP_STEPS[3]))]);
    const dumped = file('dumped.yaml', (await run(['gateway', 'dump'])).stdout);
    expect((await run(['gateway', 'diff', dumped])).stdout).toBe(summary(0, 0, 0));
  });

  it('-o writes a file (the format added to a name without an extension); --format json', async () => {
    await run(['gateway', 'sync', file('o.yaml', withoutKonnect(WORKSHOP_STEPS[0]))]);
    expect(await run(['gateway', 'dump', '-o', join(fixture.dir, 'out')])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(fixture.dir, 'out.yaml'), 'utf8')).toMatch(/^_format_version: "3.0"\nservices:\n/);
    const asked = await run(['gateway', 'dump', '-o', join(fixture.dir, 'out.yaml')], { stdin: 'n\n' });
    expect(asked.stdout).toBe(`File '${join(fixture.dir, 'out.yaml')}' already exists. Do you want to overwrite it? `);
    const json = await run(['gateway', 'dump', '--format', 'json', '--output-file', '-']);
    expect(JSON.parse(json.stdout)).toMatchObject({ _format_version: '3.0', services: [{ name: 'httpbin-service' }] });
  });
});

describe('deck file validate and deck gateway validate', () => {
  it('accept the workshop declaration silently (exit 0)', async () => {
    const path = file('v.yaml', WORKSHOP_STEPS[3]);
    expect(await deck(['file', 'validate', path])).toEqual({ code: 0, stdout: '', stderr: '' });
    const online = await run(['gateway', 'validate', path]);
    expect(online.code).toBe(0);
    expect(online.stdout).toBe('');
  });

  it('file validate catches a broken reference offline, with where it is', async () => {
    const path = file('ref.yaml', '_format_version: "3.0"\nroutes:\n- name: r\n  service: missing\n  paths: [/x]\n');
    const result = await deck(['file', 'validate', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: ${path}:3:3: building state: retrieve intermediate services (missing): entity not found`);
  });

  it("gateway validate names the entity the gateway's schema refuses, as decK does, and changes nothing", async () => {
    const before = await configurationHash(fixture.adminUrl);
    const path = file('schema.yaml', withoutKonnect(WORKSHOP_STEPS[3]).replace('minute: 5', 'minute: -5'));
    expect((await deck(['file', 'validate', path])).code).toBe(0);
    const result = await run(['gateway', 'validate', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: .*schema\.yaml:\d+:\d+: validate entity 'plugins \(rate-limiting for consumer consumer1\)': HTTP status 400 \(message: "schema violation \(config\.minute: value must be greater than 0\)"\)\n( *\d* *\|.*\n)+$/);
    expect(await configurationHash(fixture.adminUrl)).toBe(before);
  });
});
