// kong/plugins/tcp-log/schema.lua (3.11). Two of its fields are refused at load because this gateway
// cannot do what they ask, and a log plugin that silently sends in the clear, or without the fields
// it was told to add, would mislead whoever reads the sink.

import type { PluginSchema } from '../../schema/plugin-schema.js';
import { typedefs } from '../../schema/typedefs.js';

function checkSupported(entity: Record<string, unknown>): string | null {
  const config = entity.config as { tls?: unknown; custom_fields_by_lua?: unknown } | undefined;
  if (config?.tls === true) return 'tls: true is not supported by this gateway: it sends tcp-log lines over plain TCP only (set tls: false, or use a TLS-terminating relay)';
  const custom = config?.custom_fields_by_lua;
  if (custom !== null && custom !== undefined && typeof custom === 'object' && Object.keys(custom).length > 0) {
    return 'custom_fields_by_lua is not supported by this gateway: it has no Lua runtime to run the code';
  }
  return null;
}

export const tcpLogSchema: PluginSchema = {
  name: 'tcp-log',
  protocols: typedefs.protocols,
  config: {
    type: 'record',
    fields: [
      ['host', { ...typedefs.host, required: true }],
      ['port', { ...typedefs.port, required: true }],
      ['timeout', { type: 'number', default: 10000 }],
      ['keepalive', { type: 'number', default: 60000 }],
      ['tls', { type: 'boolean', required: true, default: false }],
      ['tls_sni', { type: 'string' }],
      ['custom_fields_by_lua', { type: 'map', keys: { type: 'string', len_min: 1 }, values: { type: 'string', len_min: 1 } }],
    ],
  },
  entityChecks: [{ custom_entity_check: { field_sources: ['config'], fn: checkSupported } }],
};

export interface TcpLogConfig {
  host: string;
  port: number;
  timeout: number;
  keepalive: number;
  tls: boolean;
  tls_sni: string | null;
  custom_fields_by_lua: Record<string, string> | null;
}
