import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LABS_DIR, findLab, loadLab, loadLabs, scanLabs } from '../../src/spec/discover.js';
import { LabSpecError, similarLabs, UnknownLabError } from '../../src/spec/errors.js';

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOfLabs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'labs-'));
  temporary.push(dir);
  cpSync(DEFAULT_LABS_DIR, dir, { recursive: true });
  return dir;
}

describe('loadLabs', () => {
  it('finds the labs in the page order, numbered by their folders', () => {
    const labs = loadLabs();
    expect(labs.map((lab) => lab.id)).toEqual([
      '01-plain-route',
      '02-key-auth-enabled',
      '03-consumer1',
      '04-consumer2',
      '05-rate-limits',
      '06-key-in-query-and-body',
      '07-renamed-key',
      '08-hide-credentials',
      '09-basic-auth-and-acl',
      '10-request-transformer-consumer',
      '11-response-transformer',
      '12-proxy-cache',
      '13-tcp-log-consumer',
      '14-route-rate-limit',
      '15-three-nodes-local-policy',
      '16-three-nodes-redis-policy',
      '17-redis-outage',
    ]);
    expect(labs.map((lab) => lab.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    for (const lab of labs) expect(lab.declarationPath).toBe(join(lab.dir, 'key-auth.yaml'));
  });

  it('names a broken lab file with its position', () => {
    const dir = copyOfLabs();
    writeFileSync(join(dir, '03-consumer1', 'lab.yaml'), 'title: x\nexplanation: y\nchecks:\n  - name: n\n    request: { path: x }\n    expect: { status: 200 }\n');
    expect(() => loadLabs(dir)).toThrow(LabSpecError);
    expect(() => loadLabs(dir)).toThrow(/03-consumer1\/lab\.yaml:5:22: checks\[0\]\.request\.path: "x" does not have the expected form/);
  });

  it('says when the declaration is missing', () => {
    const dir = copyOfLabs();
    unlinkSync(join(dir, '04-consumer2', 'key-auth.yaml'));
    expect(() => loadLabs(dir)).toThrow(/the declaration key-auth\.yaml is not in .*04-consumer2/);
  });
});

describe('findLab', () => {
  const labs = loadLabs();

  it('takes a number, a zero-padded number, a slug or the folder name', () => {
    for (const selector of ['3', '03', 'consumer1', '03-consumer1', 'CONSUMER1']) expect(findLab(labs, selector).id).toBe('03-consumer1');
  });

  it('lists the labs when the lab is unknown', () => {
    expect(() => findLab(labs, '42')).toThrow(UnknownLabError);
    let error: UnknownLabError | undefined;
    try {
      findLab(labs, 'consumer3');
    } catch (caught) {
      error = caught as UnknownLabError;
    }
    expect(error).toMatchObject({ code: 'LAB_UNKNOWN', exitCode: 2, problem: 'unknown lab "consumer3"' });
    expect(error!.fix).toMatch(/^did you mean consumer1 \(npm run lab 3\) or consumer2 \(npm run lab 4\) or request-transformer-consumer \(npm run lab 10\)\? Give a lab number or slug/);
    const message = error!.message;
    expect(message).toContain(' 1  01-plain-route');
    expect(message).toContain(' 8  08-hide-credentials');
    expect(message).toContain('npm run lab 3');
  });

  it('suggests the labs whose slug looks like what was typed', () => {
    expect(similarLabs('rate-limit', labs).map((lab) => lab.id)).toEqual(['05-rate-limits', '14-route-rate-limit']);
    expect(similarLabs('hide-credential', labs).map((lab) => lab.id)[0]).toBe('08-hide-credentials');
    expect(similarLabs('plain', labs).map((lab) => lab.id)).toEqual(['01-plain-route']);
    expect(similarLabs('zzzzzz', labs)).toEqual([]);
    expect(similarLabs('42', labs)).toEqual([]);
  });
});

describe('a broken lab file', () => {
  it('blocks only the commands that need that lab', () => {
    const dir = copyOfLabs();
    mkdirSync(join(dir, '99-x'));
    writeFileSync(join(dir, '99-x', 'lab.yaml'), 'title: x\nchecks: nope\n');
    expect(() => loadLabs(dir)).toThrow(LabSpecError);
    const scan = scanLabs(dir);
    expect(scan.labs).toHaveLength(loadLabs().length);
    expect(scan.broken.map((lab) => lab.id)).toEqual(['99-x']);
    expect(scan.broken[0].error.message).toMatch(/99-x\/lab\.yaml:\d+:\d+/);
    expect(loadLab('3', dir).id).toBe('03-consumer1');
    expect(loadLab('consumer2', dir).id).toBe('04-consumer2');
    expect(() => loadLab('99', dir)).toThrow(/99-x\/lab\.yaml:\d+:\d+: /);
    expect(() => loadLab('x', dir)).toThrow(LabSpecError);
    expect(() => loadLab('42', dir)).toThrow(UnknownLabError);
  });
});
