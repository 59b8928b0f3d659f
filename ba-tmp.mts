import { startLocalEnvironment } from '/work/main/harness/src/env/index.ts';
import { execFileSync } from 'node:child_process';
const env = await startLocalEnvironment({ upstream: 'embedded-httpbin' });
try {
  for (const hide of [true, false]) {
    const decl = `_format_version: "3.0"
services:
- name: s
  url: ${env.upstream!.url}
  routes:
  - name: r
    paths: [/b]
    plugins:
    - name: key-auth
    - name: basic-auth
      config: { hide_credentials: ${hide} }
consumers:
- username: c
  keyauth_credentials: [{ key: k123 }]
  basicauth_credentials: [{ username: u, password: p }]
`;
    const r = await fetch(`${env.adminUrl}/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: decl }) });
    console.log('config', r.status);
    const { spawnSync } = await import("node:child_process"); const run = spawnSync("curl", ["-sv", "-o", "/dev/null", "-o", "/dev/null", "-H", "apikey: k123", "-u", "u:p", `${env.proxyUrl}/b/get`, `${env.proxyUrl}/b/get`], { encoding: "utf8" }); console.log("hide", hide, run.stderr.split("\n").filter((l) => /^< (HTTP|Connection)|Re-using|left intact|Closing/.test(l)).join(" | "));
  }
} finally { await env.close(); }
