// Item 19 of issue 12: a web page open in the attendee's browser must not be able to write to the
// Admin API (a "simple" cross-origin POST needs no preflight). Reads keep Kong's CORS headers.

import { afterEach, describe, expect, it } from 'vitest';
import { SettingsError, readSettings } from '../../src/settings.js';
import { call, startAdmin, type TestAdmin } from './admin-harness.js';

let admin: TestAdmin | undefined;
afterEach(async () => admin?.close());

const YAML = `_format_version: "3.0"\nconsumers:\n- username: from-a-page\n`;
const post = (a: TestAdmin, origin?: string) =>
  call(a, 'POST', '/config', { body: YAML, headers: { 'content-type': 'text/plain', ...(origin ? { origin } : {}) } });

describe('cross-origin writes to the Admin API', () => {
  it('refuses a write from a page on another origin with a 403 that says how to allow it, and changes nothing', async () => {
    admin = await startAdmin();
    const before = admin.store.current.hash;
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1.evil.example', 'https://localhost.evil.example:8443']) {
      const response = await post(admin, origin);
      expect(response.status, origin).toBe(403);
      expect(response.body.message).toMatch(/cross-origin POST refused: Origin '.*' is not a loopback origin/);
      expect(response.body.message).toMatch(/KONG_ADMIN_ALLOWED_ORIGINS/);
    }
    expect(admin.store.current.hash).toBe(before);
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      expect((await call(admin, method, '/services/x', { headers: { origin: 'http://evil.example' } })).status, method).toBe(403);
    }
  });

  it('keeps Kong’s headers for reads from any origin', async () => {
    admin = await startAdmin();
    const response = await call(admin, 'GET', '/status', { headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const preflight = await call(admin, 'OPTIONS', '/config', { headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
  });

  it('lets curl (no Origin) and loopback pages write', async () => {
    admin = await startAdmin();
    expect((await post(admin)).status).toBe(201);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'https://app.localhost']) {
      expect((await post(admin, origin)).status, origin).toBe(201);
    }
  });

  it('KONG_ADMIN_ALLOWED_ORIGINS allows named origins, or all with *', async () => {
    admin = await startAdmin({ KONG_ADMIN_ALLOWED_ORIGINS: 'https://workshop.example, http://lab.example:8080' });
    expect((await post(admin, 'https://workshop.example')).status).toBe(201);
    expect((await post(admin, 'http://lab.example:8080')).status).toBe(201);
    expect((await post(admin, 'http://lab.example:9090')).status).toBe(403);
    await admin.close();
    admin = await startAdmin({ KONG_ADMIN_ALLOWED_ORIGINS: '*' });
    expect((await post(admin, 'http://evil.example')).status).toBe(201);
  });

  it('refuses a setting that is not a list of origins', () => {
    expect(() => readSettings({ KONG_ADMIN_ALLOWED_ORIGINS: 'evil.example' })).toThrow(SettingsError);
    expect(() => readSettings({ KONG_ADMIN_ALLOWED_ORIGINS: 'http://a.example/path' })).toThrow(/KONG_ADMIN_ALLOWED_ORIGINS/);
    expect(readSettings({ KONG_ADMIN_ALLOWED_ORIGINS: 'HTTP://A.example:80' }).adminAllowedOrigins).toEqual(['http://a.example']);
  });
});
