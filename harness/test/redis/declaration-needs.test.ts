import { describe, expect, it } from 'vitest';
import { declarationUsesRedis } from '../../src/redis/declaration-needs.js';
import { parseLabText } from '../../src/spec/lab-file.js';
import { findLab, loadLabs } from '../../src/spec/discover.js';
import { readFileSync } from 'node:fs';

describe('declarationUsesRedis', () => {
  it('finds policy: redis on a rate-limiting plugin wherever it is nested', () => {
    const nested = '_format_version: "3.0"\nconsumers:\n- username: a\n  plugins:\n  - name: rate-limiting\n    config: { minute: 5, policy: redis }\n';
    expect(declarationUsesRedis(nested)).toBe(true);
    expect(declarationUsesRedis(nested.replace('policy: redis', 'policy: local'))).toBe(false);
    // Another plugin's `policy` field is not a rate-limiting counter.
    expect(declarationUsesRedis('_format_version: "3.0"\nplugins:\n- name: acl\n  config: { policy: redis }\n')).toBe(false);
    expect(declarationUsesRedis(':\n  - [unclosed')).toBe(false);
  });

  it('holds for the labs: 16 uses Redis, 15 does not', () => {
    const labs = loadLabs();
    expect(declarationUsesRedis(readFileSync(findLab(labs, 'three-nodes-redis-policy').declarationPath, 'utf8'))).toBe(true);
    expect(declarationUsesRedis(readFileSync(findLab(labs, 'three-nodes-local-policy').declarationPath, 'utf8'))).toBe(false);
  });
});

describe('nodes: and redis: in lab.yaml', () => {
  const base = 'title: t\nexplanation: e\nchecks:\n- name: n\n  request: { path: / }\n  expect: { status: 200 }\n';
  it('default to one node and no Redis', () => {
    expect(parseLabText(base, 'labs/99-x/lab.yaml')).toMatchObject({ nodes: 1, redis: false });
    expect(parseLabText(`nodes: 3\nredis: true\n${base}`, 'labs/99-x/lab.yaml')).toMatchObject({ nodes: 3, redis: true });
  });
  it('refuse a node count that is not a whole number of at least 1, with the line', () => {
    expect(() => parseLabText(`nodes: 0\n${base}`, 'labs/99-x/lab.yaml')).toThrow(/lab\.yaml:1/);
    expect(() => parseLabText(`nodes: two\n${base}`, 'labs/99-x/lab.yaml')).toThrow(/nodes/);
    expect(() => parseLabText(`redis: yes please\n${base}`, 'labs/99-x/lab.yaml')).toThrow(/redis/);
  });
});
