// tcp-log (Kong PRIORITY 7): in the log phase, after the response went out, kong.log.serialize()
// as one JSON line to host:port. The sending happens later, on the gateway's TcpLogSender.

import { cjsonEncode } from '../../admin/http.js';
import { serializeForLog } from '../log-serializer.js';
import { BUNDLED_VERSION } from '../types.js';
import type { PluginContext, PluginDependencies, PluginHandler, PluginHandlerModule } from '../types.js';
import type { TcpLogSender } from './sender.js';
import type { TcpLogConfig } from './schema.js';

export const PRIORITY = 7;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;


function createTcpLog(sender: TcpLogSender): PluginHandler<TcpLogConfig> {
  return {
    name: 'tcp-log',
    priority: PRIORITY,
    log(ctx: PluginContext, config: TcpLogConfig): void {
      sender.send(config, `${cjsonEncode(serializeForLog(ctx))}\n`);
    },
  };
}

export const tcpLogPlugin: PluginHandlerModule<TcpLogConfig> = {
  name: 'tcp-log',
  PRIORITY,
  VERSION,
  create: (deps: PluginDependencies) => createTcpLog(deps.tcpLog),
};
