// testcontainers' GenericContainer with the two things a lab environment needs and its builder
// lacks: published ports bound to 127.0.0.1 only, and a network alias given at creation on our
// own network (withNetworkAliases would also attach the container to Docker's default bridge).

import type { Testcontainers } from './docker-client.js';

export interface LabContainerSpec {
  image: string;
  name: string;
  network: string;
  aliases?: string[];
  /** Container ports published on a free host port, or on the one `hostPorts` names. */
  ports: number[];
  /** container port → host port (0 or absent: a free one). */
  hostPorts?: Record<number, number>;
  /** Bind published ports to 127.0.0.1 (a local daemon), or to every interface (a remote one). */
  loopbackOnly: boolean;
  env?: Record<string, string>;
  labels: Record<string, string>;
  /** Start is done when a log line matches (the HTTP readiness checks come after). */
  readyLog: RegExp;
  startupTimeoutMs: number;
}

export function labContainer(tc: Testcontainers, spec: LabContainerSpec) {
  class LabContainer extends tc.GenericContainer {
    constructor() {
      super(spec.image);
      this.withName(spec.name)
        .withLabels(spec.labels)
        .withEnvironment(spec.env ?? {})
        .withNetworkMode(spec.network)
        .withExposedPorts(...spec.ports)
        .withWaitStrategy(tc.Wait.forLogMessage(spec.readyLog))
        .withStartupTimeout(spec.startupTimeoutMs);
      if (spec.aliases?.length) {
        this.createOpts.NetworkingConfig = { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } };
      }
      if (spec.loopbackOnly || spec.hostPorts) {
        for (const port of spec.ports) {
          const binding = { HostPort: String(spec.hostPorts?.[port] ?? 0) };
          this.hostConfig.PortBindings![`${port}/tcp`] = [spec.loopbackOnly ? { HostIp: '127.0.0.1', ...binding } : binding];
        }
      }
    }
  }
  return new LabContainer();
}
