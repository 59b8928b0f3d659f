// tcp-log (Kong PRIORITY 7): in the log phase, after the response went out, kong.log.serialize()
// as one JSON line to host:port. The sending happens later, on the gateway's TcpLogSender.

import { EntityFragments, serializeLogLine } from '../log-serializer.js';
import { BUNDLED_VERSION } from '../types.js';
import type { PluginContext, PluginDependencies, PluginHandler, PluginHandlerModule } from '../types.js';
import type { TcpLogSender } from './sender.js';
import type { TcpLogConfig } from './schema.js';

export const PRIORITY = 7;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

function createTcpLog(sender: TcpLogSender): PluginHandler<TcpLogConfig> {
  // Route, service and consumer are the same JSON on every line of a configuration: encoded once each.
  const fragments = new EntityFragments();
  return {
    name: 'tcp-log',
    priority: PRIORITY,
    configure(): void {
      fragments.clear();
    },
    log(ctx: PluginContext, config: TcpLogConfig): void {
      sender.send(config, `${serializeLogLine(ctx, fragments)}\n`);
    },
  };
}

export const tcpLogPlugin: PluginHandlerModule<TcpLogConfig> = {
  name: 'tcp-log',
  PRIORITY,
  VERSION,
  create: (deps: PluginDependencies) => createTcpLog(deps.tcpLog),
};
