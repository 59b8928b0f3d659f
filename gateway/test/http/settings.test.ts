import { describe, expect, it } from 'vitest';
import { parseHostsFile, parseListen, readSettings, SettingsError } from '../../src/settings.js';

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
});
