import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/declarative/entities.js';
import { buildRouter } from '../../src/router/index.js';
import { makeRequest, makeRoute, makeService } from './fixtures.js';

function upstreamHost(service: Partial<Service>, preserveHost: boolean, clientHost: string): string | undefined {
  const svc = makeService(service);
  const route = makeRoute({ paths: ['/'], preserve_host: preserveHost }, svc);
  return buildRouter([route], [svc]).match(makeRequest('/', { host: clientHost }))?.upstreamHost;
}

describe('upstream Host', () => {
  it('is the service host, without the scheme default port', () => {
    expect(upstreamHost({ protocol: 'http', host: 'svc.test', port: 80 }, false, 'client.test')).toBe('svc.test');
    expect(upstreamHost({ protocol: 'https', host: 'svc.test', port: 443 }, false, 'client.test')).toBe('svc.test');
  });

  it('carries any other port', () => {
    expect(upstreamHost({ protocol: 'http', host: 'svc.test', port: 8080 }, false, 'client.test')).toBe('svc.test:8080');
    expect(upstreamHost({ protocol: 'http', host: 'svc.test', port: 443 }, false, 'client.test')).toBe('svc.test:443');
    expect(upstreamHost({ protocol: 'https', host: 'svc.test', port: 80 }, false, 'client.test')).toBe('svc.test:80');
  });

  it('is the client Host as sent with preserve_host', () => {
    expect(upstreamHost({ host: 'svc.test', port: 8080 }, true, 'Client.Test:8000')).toBe('Client.Test:8000');
  });

  it('falls back to the service host when preserve_host is on but the client sent no Host', () => {
    expect(upstreamHost({ host: 'svc.test', port: 8080 }, true, '')).toBe('svc.test:8080');
  });
});

describe('X-Forwarded-Prefix value', () => {
  function forwardedPrefix(paths: string[] | null, strip: boolean, target: string, hosts: string[] | null = null) {
    const route = makeRoute({ paths, strip_path: strip, hosts });
    return buildRouter([route], []).match(makeRequest(target, { host: 'h.test' }))?.forwardedPrefix;
  }

  it('is the stripped prefix', () => {
    expect(forwardedPrefix(['/api'], true, '/api/foo')).toBe('/api');
  });

  it('is the whole regex match for a regex route', () => {
    expect(forwardedPrefix(['~/v\\d+'], true, '/v12/foo')).toBe('/v12');
  });

  it('is null without strip_path', () => {
    expect(forwardedPrefix(['/api'], false, '/api/foo')).toBeNull();
  });

  it('is null when the prefix is /', () => {
    expect(forwardedPrefix(['/'], true, '/foo')).toBeNull();
  });

  it('is null for a route without paths', () => {
    expect(forwardedPrefix(null, true, '/foo', ['h.test'])).toBeNull();
  });
});
