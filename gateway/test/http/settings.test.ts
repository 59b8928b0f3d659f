import { describe, expect, it } from 'vitest';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseHostsFile, parseListen, parseNginxTime, readSettings, SettingsError } from '../../src/settings.js';

describe('gateway settings', () => {
  it('defaults like Kong: proxy on all interfaces, admin on loopback', () => {
    const settings = readSettings({});
    expect(settings.proxyListen).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(settings.adminListen).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(settings.serverToken).toBe('kong/3.11.0.0-enterprise-edition');
  });

  it('reads Kong-style listen values with flags and IPv6', () => {
    expect(parseListen('X', '0.0.0.0:8000 reuseport backlog=16384')).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(parseListen('X', '[::1]:8001')).toEqual({ host: '::1', port: 8001 });
    expect(() => parseListen('KONG_ADMIN_LISTEN', 'localhost')).toThrow(SettingsError);
    expect(() => parseListen('KONG_ADMIN_LISTEN', 'localhost')).toThrow(/KONG_ADMIN_LISTEN="localhost" is invalid/);
  });

  it('parses upstream overrides and the version token', () => {
    const settings = readSettings({
      KONG_UPSTREAM_OVERRIDES: 'httpbin.kong.svc.cluster.local:8000=127.0.0.1:4567',
      KONG_VERSION: '3.9.0',
      KONG_EDITION: 'community',
    });
    expect(settings.upstreamOverrides.get('httpbin.kong.svc.cluster.local:8000')).toEqual({ host: '127.0.0.1', port: 4567 });
    expect(settings.serverToken).toBe('kong/3.9.0');
    expect(() => readSettings({ KONG_UPSTREAM_OVERRIDES: 'nohostport' })).toThrow(/name:port=address:port/);
  });

  it('reads hosts files (first entry wins, comments ignored)', () => {
    const hosts = parseHostsFile('127.0.0.1 localhost\n10.0.0.5 httpbin.kong.svc.cluster.local # lab\n10.0.0.6 localhost\n');
    expect(hosts.get('httpbin.kong.svc.cluster.local')).toBe('10.0.0.5');
    expect(hosts.get('localhost')).toBe('127.0.0.1');
  });

  it('reads client timeouts in nginx time syntax, 60 s by default like nginx', () => {
    const defaults = readSettings({});
    expect(defaults.clientHeaderTimeoutMs).toBe(60_000);
    expect(defaults.clientBodyTimeoutMs).toBe(60_000);
    const set = readSettings({ KONG_NGINX_HTTP_CLIENT_HEADER_TIMEOUT: '2500ms', KONG_NGINX_HTTP_CLIENT_BODY_TIMEOUT: '1m30s' });
    expect(set.clientHeaderTimeoutMs).toBe(2500);
    expect(set.clientBodyTimeoutMs).toBe(90_000);
    expect(parseNginxTime('X', '7')).toBe(7000);
    expect(() => readSettings({ KONG_NGINX_HTTP_CLIENT_BODY_TIMEOUT: '5 seconds' })).toThrow(
      /KONG_NGINX_HTTP_CLIENT_BODY_TIMEOUT="5 seconds" is invalid: expected an nginx time/,
    );
    expect(() => parseNginxTime('X', '0s')).toThrow(SettingsError);
  });

  it('keeps idle upstream connections 1 s by default (below gunicorn keep-alive 2 s), in seconds like Kong', () => {
    expect(readSettings({}).upstreamKeepaliveIdleTimeoutMs).toBe(1000);
    expect(readSettings({ KONG_UPSTREAM_KEEPALIVE_IDLE_TIMEOUT: '60' }).upstreamKeepaliveIdleTimeoutMs).toBe(60_000);
    expect(() => readSettings({ KONG_UPSTREAM_KEEPALIVE_IDLE_TIMEOUT: '0' })).toThrow(/number of seconds above 0/);
  });

  it('reads KONG_LUA_SSL_TRUSTED_CERTIFICATE: PEM files and `system`, unset meaning the system default', () => {
    const pem = fileURLToPath(new URL('../fixtures/tls/redis-test.crt', import.meta.url));
    expect(readSettings({}).trustedCertificates).toBeNull();
    expect(readSettings({ KONG_LUA_SSL_TRUSTED_CERTIFICATE: 'system' }).trustedCertificates).toBeNull();
    const own = readSettings({ KONG_LUA_SSL_TRUSTED_CERTIFICATE: pem }).trustedCertificates;
    expect(own).toHaveLength(1);
    expect(own?.[0]).toContain('-----BEGIN CERTIFICATE-----');
    expect(readSettings({ KONG_LUA_SSL_TRUSTED_CERTIFICATE: `system, ${pem}` }).trustedCertificates).toHaveLength(rootCertificates.length + 1);
    expect(() => readSettings({ KONG_LUA_SSL_TRUSTED_CERTIFICATE: '/no/such.pem' })).toThrow(/KONG_LUA_SSL_TRUSTED_CERTIFICATE=.*\/no\/such\.pem/);
    const key = fileURLToPath(new URL('../fixtures/tls/redis-test.key', import.meta.url));
    expect(() => readSettings({ KONG_LUA_SSL_TRUSTED_CERTIFICATE: key })).toThrow(/holds no certificate/);
  });
});
