// nginx configurations for the bench: a static JSON upstream and a reverse proxy in front of it.
// Each instance lives in its own prefix directory (pid, logs, temp paths), so the bench needs
// neither root nor the system's /etc/nginx, and leaves nothing behind outside its temp dir.

/** Runs in the foreground as ONE process (no master): it can be pinned with taskset and stopped by pid. */
function preamble(prefix: string): string {
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    'events { worker_connections 4096; multi_accept on; }',
  ].join('\n');
}

function httpPreamble(prefix: string): string {
  return [
    '  access_log off;',
    '  server_tokens off;',
    '  keepalive_requests 1000000;',
    '  keepalive_timeout 65s;',
    `  client_body_temp_path ${prefix}/client_body;`,
    `  proxy_temp_path ${prefix}/proxy;`,
    `  fastcgi_temp_path ${prefix}/fastcgi;`,
    `  uwsgi_temp_path ${prefix}/uwsgi;`,
    `  scgi_temp_path ${prefix}/scgi;`,
  ].join('\n');
}

export interface StaticUpstreamConfig {
  /** Directory for pid, logs and temp paths (must exist). */
  prefix: string;
  port: number;
  /** Directory holding the payload file. */
  root: string;
  /** File name of the JSON payload inside `root`; every request path is answered with it. */
  file: string;
}

export function staticUpstreamConfig(config: StaticUpstreamConfig): string {
  return `${preamble(config.prefix)}
http {
${httpPreamble(config.prefix)}
  types { application/json json; }
  sendfile on;
  tcp_nopush on;
  open_file_cache max=16 inactive=60s;
  open_file_cache_valid 60s;
  server {
    listen 127.0.0.1:${config.port} reuseport;
    root ${config.root};
    location / { try_files /${config.file} =404; }
  }
}
`;
}

export interface ReverseProxyConfig {
  prefix: string;
  port: number;
  upstreamHost: string;
  upstreamPort: number;
}

/** A plain reverse proxy with upstream keep-alive: what nginx itself costs per hop. */
export function reverseProxyConfig(config: ReverseProxyConfig): string {
  return `${preamble(config.prefix)}
http {
${httpPreamble(config.prefix)}
  upstream bench_upstream {
    server ${config.upstreamHost}:${config.upstreamPort};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${config.port} reuseport;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_buffering on;
    }
  }
}
`;
}
