// `npm run gateway`: the gateway in the foreground, configured by KONG_* environment variables.

import { readSettings, SettingsError } from './settings.js';
import { DeclarativeConfigFileError, startGateway } from './gateway.js';

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ event: 'fatal', message })}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let settings;
  try {
    settings = readSettings();
  } catch (err) {
    if (err instanceof SettingsError) fail(err.message);
    throw err;
  }
  let gateway;
  try {
    gateway = await startGateway(settings);
  } catch (err) {
    if (err instanceof DeclarativeConfigFileError) fail(err.message);
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      fail(`cannot listen (${code}): ${(err as Error).message}. Choose other addresses with KONG_PROXY_LISTEN / KONG_ADMIN_LISTEN.`);
    }
    throw err;
  }
  process.stdout.write(
    `${JSON.stringify({
      event: 'listening',
      proxy_listen: `${gateway.proxy.host}:${gateway.proxy.port}`,
      admin_listen: `${gateway.admin.host}:${gateway.admin.port}`,
      version: settings.serverToken,
    })}\n`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${JSON.stringify({ event: 'stopping', signal })}\n`);
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`error while stopping: ${String(err)}`),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
