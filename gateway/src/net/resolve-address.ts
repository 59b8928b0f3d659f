// Where a configured `host:port` is really reached, for every outbound connection the gateway
// makes (upstream services, Redis): the gateway's overrides first (name:port → addr:port, for
// local labs), then the hosts file, else the name itself for the system resolver at connect time.

import type { GatewaySettings, ListenAddress } from '../settings.js';

export type AddressSettings = Pick<GatewaySettings, 'upstreamOverrides' | 'hostsFile'>;

export function resolveAddress(settings: AddressSettings, host: string, port: number): ListenAddress {
  const name = host.toLowerCase();
  const override = settings.upstreamOverrides.get(`${name}:${port}`);
  if (override) return override;
  return { host: settings.hostsFile.get(name) ?? host, port };
}
