// What the runner and the labs see of a gateway to work against, wherever it runs.

export type RuntimeName = 'local' | 'containers' | 'external';

export type UpstreamChoice = 'auto' | 'debian-httpbin' | 'embedded-httpbin';

export interface LabEnvironment {
  readonly runtime: RuntimeName;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  readonly proxyUrl: string;
  readonly adminUrl: string;
  /** null for external */
  readonly upstream: { kind: string; url: string } | null;
  /** Stops what this environment started (nothing for external). Idempotent. */
  close(): Promise<void>;
}

/** A local environment also tells which gateway process it started (tests check it is gone after close). */
export interface LocalLabEnvironment extends LabEnvironment {
  readonly runtime: 'local';
  readonly gatewayPid: number;
}

export interface LocalEnvironmentOptions {
  upstream?: UpstreamChoice;
  onProgress?: (message: string) => void;
  /** Extra KONG_* variables for the gateway process; they win over the ones the harness sets. */
  gatewayEnv?: Record<string, string>;
}

export interface ExternalEnvironmentOptions {
  proxyUrl: string;
  adminUrl: string;
}
