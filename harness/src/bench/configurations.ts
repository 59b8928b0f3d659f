// The configurations the bench compares, in the order each round runs them.

import type { GatewayPlugins } from './gateway-config.js';

export const CONFIGURATION_IDS = [
  'upstream',
  'nginx',
  'minimal',
  'kong-shaped',
  'gateway-none',
  'gateway-key-auth',
  'gateway-key-auth-rate-limiting',
] as const;
export type ConfigurationId = (typeof CONFIGURATION_IDS)[number];

export const CONFIGURATION_LABELS: Readonly<Record<ConfigurationId, string>> = {
  upstream: 'upstream direct',
  nginx: 'nginx reverse proxy',
  minimal: 'minimal undici proxy',
  'kong-shaped': 'minimal proxy + Kong headers',
  'gateway-none': 'gateway, no plugins',
  'gateway-key-auth': 'gateway, key-auth',
  'gateway-key-auth-rate-limiting': 'gateway, key-auth + rate-limiting',
};

export const GATEWAY_PLUGINS: Readonly<Partial<Record<ConfigurationId, GatewayPlugins>>> = {
  'gateway-none': 'none',
  'gateway-key-auth': 'key-auth',
  'gateway-key-auth-rate-limiting': 'key-auth+rate-limiting',
};

/** The ones measured again at a fixed rate, for the latency the gateway adds. */
export const FIXED_RATE_IDS: readonly ConfigurationId[] = ['upstream', 'nginx', 'minimal', 'gateway-key-auth-rate-limiting'];

/**
 * Pairs measured side by side (both servers on the server core at the same time, each under half the
 * connections): numerator first. A neighbour slowing the machine slows both alike, so these ratios are
 * the steadiest figures a shared machine gives.
 */
export interface SideBySidePair {
  /** Key in the report's JSON (`side_by_side.<name>`). */
  name: string;
  numerator: ConfigurationId;
  denominator: ConfigurationId;
}

export const SIDE_BY_SIDE_PAIRS: readonly SideBySidePair[] = [
  { name: 'gateway_vs_minimal', numerator: 'gateway-key-auth-rate-limiting', denominator: 'minimal' },
  { name: 'kong_shaped_vs_minimal', numerator: 'kong-shaped', denominator: 'minimal' },
  { name: 'gateway_vs_kong_shaped', numerator: 'gateway-key-auth-rate-limiting', denominator: 'kong-shaped' },
  { name: 'plugins_vs_none', numerator: 'gateway-key-auth-rate-limiting', denominator: 'gateway-none' },
  { name: 'gateway_vs_nginx', numerator: 'gateway-key-auth-rate-limiting', denominator: 'nginx' },
];

/**
 * Order of round `round` (0-based): forwards on even rounds, backwards on odd ones, so a drift in
 * the machine's speed during the run weighs on every configuration alike.
 */
export function roundOrder<T>(ids: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...ids] : [...ids].reverse();
}
