import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadDeclarativeConfig } from '../../src/declarative/load.js';
import type { FlatConfig } from '../../src/declarative/entities.js';
import { entityUuid } from '../../src/declarative/ids.js';

function load(input: Record<string, unknown>): FlatConfig {
  const result = loadDeclarativeConfig({ _format_version: '3.0', ...input });
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

describe('credentials', () => {
  it('hash basic-auth passwords as sha1(password .. consumer_id) unless _transform is false', () => {
    const consumerId = entityUuid('consumers', 'alice');
    const config = load({ consumers: [{ username: 'alice', basicauth_credentials: [{ username: 'alice', password: 'secret' }] }] });
    expect(config.basicauth_credentials[0]).toMatchObject({
      id: entityUuid('basicauth_credentials', 'basicauth_credentials:*:alice'),
      consumer: { id: consumerId },
      username: 'alice',
      password: createHash('sha1').update(`secret${consumerId}`).digest('hex'),
    });
    const raw = load({ _transform: false, consumers: [{ username: 'alice', basicauth_credentials: [{ username: 'alice', password: 'already' }] }] });
    expect(raw.basicauth_credentials[0].password).toBe('already');
  });

  it('derive acl ids from consumer and group', () => {
    const consumerId = entityUuid('consumers', 'alice');
    const config = load({ consumers: [{ username: 'alice', acls: [{ group: 'gold' }] }] });
    expect(config.acls).toEqual([{ id: entityUuid('acls', `acls:*:${consumerId}:gold`), consumer: { id: consumerId }, group: 'gold', tags: null, created_at: expect.any(Number) }]);
  });

  it('accept top-level credentials that name their consumer by username or id', () => {
    const consumerId = entityUuid('consumers', 'alice');
    const config = load({
      consumers: [{ username: 'alice' }],
      keyauth_credentials: [
        { key: 'by-name', consumer: 'alice', ttl: 60 },
        { key: 'by-id', consumer: { id: consumerId } },
      ],
    });
    expect(config.keyauth_credentials.map((k) => [k.key, k.consumer.id, k.ttl])).toEqual([
      ['by-name', consumerId, 60],
      ['by-id', consumerId, null],
    ]);
  });

  it('require a consumer at the top level', () => {
    const result = loadDeclarativeConfig({ _format_version: '3.0', keyauth_credentials: [{ key: 'k' }] });
    expect(!result.ok && result.error.body.fields).toEqual({ keyauth_credentials: [{ consumer: 'required field missing' }] });
  });
});

describe('references and order', () => {
  it('resolves top-level references by name and lists parents before their children', () => {
    const config = load({
      routes: [{ name: 'top-route', paths: ['/top'], service: 'svc' }],
      services: [{ name: 'svc', host: 'h', routes: [{ name: 'nested', paths: ['/n'] }] }],
    });
    const serviceId = entityUuid('services', 'svc');
    expect(config.routes.map((r) => [r.name, r.service?.id])).toEqual([
      ['top-route', serviceId],
      ['nested', serviceId],
    ]);
  });

  it('migrates regex paths of format 1.1 files', () => {
    const config = load({ _format_version: '1.1', routes: [{ paths: ['/plain', '/users/\\d+'] }] });
    expect(config.routes[0].paths).toEqual(['/plain', '~/users/\\d+']);
  });

  it('accepts _comment and _ignore at the top and on entities', () => {
    const config = load({ _comment: 'hi', _ignore: [1], consumers: [{ username: 'a', _comment: 'c', _ignore: [{ x: 1 }] }] });
    expect(config.consumers[0]).not.toHaveProperty('_comment');
    expect(config.consumers[0]).not.toHaveProperty('_ignore');
  });

  it('keeps a given created_at and stamps updated_at', () => {
    const result = loadDeclarativeConfig({ _format_version: '3.0', consumers: [{ username: 'a', created_at: 1566863706 }] }, { now: 1_700_000_000_999 });
    expect(result.ok && result.config.consumers[0]).toMatchObject({ created_at: 1566863706, updated_at: 1_700_000_000 });
  });
});
