import { describe, expect, it } from 'vitest';
import { fakeApply } from './fake-gateway.js';
import { pureSync, syncErrorOf } from './pure-sync.js';
import { WORKSHOP_STEPS } from './workshop-declarations.js';

/** What runs before the workshop's syncs: entities someone else manages, without the workshop's tag. */
const OTHERS = fakeApply({
  _format_version: '3.0',
  services: [
    {
      name: 'other-service',
      host: 'other.example',
      tags: ['team-b'],
      routes: [{ name: 'other-route', paths: ['/other'], tags: ['team-b'] }],
    },
  ],
  consumers: [{ username: 'global-consumer', tags: ['shared'], keyauth_credentials: [{ key: 'global-key-000', tags: ['shared'] }] }],
  plugins: [{ name: 'correlation-id' }],
});


describe('planSync with select_tags', () => {
  it('keeps every entity without all the select tags, unchanged (ids too), and reports nothing about it', () => {
    const result = pureSync(WORKSHOP_STEPS[1], OTHERS);
    // decK's order: consumers, then services and credentials, then routes, then plugins.
    expect(result.lines).toEqual([
      'creating consumer consumer1',
      'creating service httpbin-service',
      'creating key-auth 23456 for consumer consumer1',
      'creating route httpbin-route',
      'creating plugin key-auth for service httpbin-service',
    ]);
    const before = OTHERS.nodes.map((node) => ({ collection: node.collection, id: node.entity.id }));
    const after = result.after.nodes.map((node) => ({ collection: node.collection, id: node.entity.id }));
    for (const entity of before) expect(after).toContainEqual(entity);
    // Kept entities go back without timestamps or nulls, references as ids.
    const keptRoute = (result.plan.declaration.routes as Array<Record<string, unknown>>).find((route) => route.name === 'other-route');
    expect(keptRoute).toEqual(expect.objectContaining({ service: OTHERS.nodes.find((n) => n.entity.name === 'other-service')?.entity.id }));
    expect(keptRoute).not.toHaveProperty('created_at');
  });

  it('replaces the tagged entities with the file: a later file deletes what it leaves out, and only that', () => {
    const first = pureSync(WORKSHOP_STEPS[3], OTHERS);
    const back = pureSync(WORKSHOP_STEPS[0], first.after);
    expect(back.summary).toEqual({ created: 0, updated: 0, deleted: 6 });
    const names = back.after.nodes.map((node) => String(node.entity.name ?? node.entity.username ?? node.entity.key));
    expect(names).toEqual(expect.arrayContaining(['other-service', 'other-route', 'global-consumer', 'global-key-000', 'correlation-id', 'httpbin-service']));
    expect(names).not.toContain('consumer1');
  });

  it('without select tags the file replaces everything', () => {
    const result = pureSync('_format_version: "3.0"\nservices:\n- name: only\n  host: h\n', OTHERS);
    expect(result.summary).toEqual({ created: 1, updated: 0, deleted: 5 });
    expect(result.lines.slice(1)).toEqual([
      'deleting plugin correlation-id (global)',
      'deleting route other-route',
      'deleting key-auth y-000 for consumer global-consumer',
      'deleting service other-service',
      'deleting consumer global-consumer',
    ]);
  });

  it("reports an update with decK's field diff when a tagged entity changes", () => {
    const first = pureSync(WORKSHOP_STEPS[3]);
    const changed = WORKSHOP_STEPS[3].replace('port: 8000', 'port: 8080').replace('minute: 5', 'minute: 6');
    const result = pureSync(changed, first.after);
    expect(result.summary).toEqual({ created: 0, updated: 2, deleted: 0 });
    const service = first.after.nodes.find((node) => node.collection === 'services')!;
    expect(result.lines[0]).toBe(
      ['updating service httpbin-service  {', `   "id": "${String(service.entity.id)}",`, '   "name": "httpbin-service",', '-  "port": 8000', '+  "port": 8080', ' }'].join('\n'),
    );
    expect(result.lines[1]).toMatch(/^updating plugin rate-limiting for consumer consumer1 {2}\{\n {3}"config": \{\n- {4}"minute": 5\n\+ {4}"minute": 6\n {3}\},\n/);
  });

  it("refuses a reference to an entity outside the file with decK's error and the entity's position", () => {
    const text = [
      '_format_version: "3.0"',
      '_info:',
      '  select_tags: [mine]',
      'plugins:',
      '- name: rate-limiting',
      '  consumer: global-consumer',
      '  config: { minute: 1 }',
      '',
    ].join('\n');
    const error = syncErrorOf(() => pureSync(text, OTHERS));
    expect(error.message).toContain('building state: consumer global-consumer for plugin rate-limiting: entity not found');
    expect(error.line).toBe(5);
    expect(error.column).toBe(3);
  });

  it('resolves such a reference through _info.default_lookup_tags, and keeps the looked-up entity', () => {
    const text = [
      '_format_version: "3.0"',
      '_info:',
      '  select_tags: [mine]',
      '  default_lookup_tags:',
      '    consumers: [shared]',
      'plugins:',
      '- name: rate-limiting',
      '  consumer: global-consumer',
      '  config: { minute: 1 }',
      '',
    ].join('\n');
    const result = pureSync(text, OTHERS);
    expect(result.lines).toEqual(['creating plugin rate-limiting for consumer global-consumer']);
    const consumer = OTHERS.nodes.find((node) => node.entity.username === 'global-consumer')!;
    expect((result.plan.declaration.plugins as Array<Record<string, unknown>>)[0].consumer).toBe(consumer.entity.id);
  });

  it('refuses to re-create an entity that runs outside the scope (decK would get a 409)', () => {
    const text = '_format_version: "3.0"\n_info:\n  select_tags: [mine]\nconsumers:\n- username: global-consumer\n';
    const error = syncErrorOf(() => pureSync(text, OTHERS));
    expect(error.message).toContain('consumer global-consumer already runs outside the select_tags scope [mine]');
    expect(error.line).toBe(5);
  });

  it('drops an untagged plugin whose tagged service is deleted (Kong cascades), and refuses to orphan an untagged route', () => {
    const tagged = fakeApply({
      _format_version: '3.0',
      services: [{ name: 'tagged', host: 'h', tags: ['mine'], plugins: [{ name: 'cors' }] }],
    });
    const result = pureSync('_format_version: "3.0"\n_info:\n  select_tags: [mine]\n', tagged);
    expect(result.lines).toEqual(['deleting service tagged']);
    expect(result.plan.declaration.plugins).toBeUndefined();

    const withRoute = fakeApply({
      _format_version: '3.0',
      services: [{ name: 'tagged', host: 'h', tags: ['mine'], routes: [{ name: 'untagged', paths: ['/u'] }] }],
    });
    const error = syncErrorOf(() => pureSync('_format_version: "3.0"\n_info:\n  select_tags: [mine]\n', withRoute));
    expect(error.message).toContain('route untagged runs outside the select_tags scope [mine] but uses service tagged');
  });
});
