// The configurations the bench compares, in the order each round runs them.

import { ADDED_PLUGINS, type AddedPlugin, type GatewayPlugins } from './gateway-config.js';

export const CONFIGURATION_IDS = [
  'upstream',
  'nginx',
  'minimal',
  'kong-shaped',
  'gateway-none',
  'gateway-none-twin',
  'gateway-key-auth',
  'gateway-key-auth-rate-limiting',
  'gateway-key-auth-rate-limiting+basic-auth',
  'gateway-key-auth-rate-limiting+acl',
  'gateway-key-auth-rate-limiting+request-transformer',
  'gateway-key-auth-rate-limiting+response-transformer',
  'gateway-key-auth-rate-limiting+proxy-cache',
  'gateway-key-auth-rate-limiting+tcp-log',
  'gateway-key-auth-rate-limiting-redis',
  'gateway-key-auth-rate-limiting-3-nodes',
] as const;
export type ConfigurationId = (typeof CONFIGURATION_IDS)[number];

export const CONFIGURATION_LABELS: Readonly<Record<ConfigurationId, string>> = {
  upstream: 'upstream direct',
  nginx: 'nginx reverse proxy',
  minimal: 'minimal undici proxy',
  'kong-shaped': 'minimal proxy + Kong headers',
  'gateway-none': 'gateway, no plugins',
  'gateway-none-twin': 'gateway, no plugins (its twin)',
  'gateway-key-auth': 'gateway, key-auth',
  'gateway-key-auth-rate-limiting': 'gateway, key-auth + rate-limiting',
  'gateway-key-auth-rate-limiting+basic-auth': 'gateway, key-auth + rate-limiting + basic-auth',
  'gateway-key-auth-rate-limiting+acl': 'gateway, key-auth + rate-limiting + acl',
  'gateway-key-auth-rate-limiting+request-transformer': 'gateway, key-auth + rate-limiting + request-transformer',
  'gateway-key-auth-rate-limiting+response-transformer': 'gateway, key-auth + rate-limiting + response-transformer',
  'gateway-key-auth-rate-limiting+proxy-cache': 'gateway, key-auth + rate-limiting + proxy-cache (hits)',
  'gateway-key-auth-rate-limiting+tcp-log': 'gateway, key-auth + rate-limiting + tcp-log',
  'gateway-key-auth-rate-limiting-redis': 'gateway, key-auth + rate-limiting (policy redis)',
  'gateway-key-auth-rate-limiting-3-nodes': `gateway, key-auth + rate-limiting, 3 nodes behind the TCP balancer`,
};

/** The configuration that runs key-auth + rate-limiting + `plugin`. */
export function addedPluginConfiguration(plugin: AddedPlugin): ConfigurationId {
  return `gateway-key-auth-rate-limiting+${plugin}`;
}

export const GATEWAY_PLUGINS: Readonly<Partial<Record<ConfigurationId, GatewayPlugins>>> = {
  'gateway-none': 'none',
  'gateway-none-twin': 'none',
  'gateway-key-auth': 'key-auth',
  'gateway-key-auth-rate-limiting': 'key-auth+rate-limiting',
  ...Object.fromEntries(ADDED_PLUGINS.map((plugin) => [addedPluginConfiguration(plugin), `key-auth+rate-limiting+${plugin}` as const])),
  'gateway-key-auth-rate-limiting-redis': 'key-auth+rate-limiting-redis',
};

/** Several gateway nodes behind the harness's TCP balancer (env/tcp-balancer.ts), all on the server core. */
export const NODES_CONFIGURATION = { id: 'gateway-key-auth-rate-limiting-3-nodes', nodes: 3, plugins: 'key-auth+rate-limiting' } as const satisfies {
  id: ConfigurationId;
  nodes: number;
  plugins: GatewayPlugins;
};

/** What `--only SECTION` measures (besides the upstream every proxy needs). `startup` is the command timing, no load run. */
export const SECTIONS = {
  startup: [],
  plugins: ['gateway-none', 'gateway-none-twin', 'gateway-key-auth-rate-limiting', ...ADDED_PLUGINS.map(addedPluginConfiguration)],
  redis: ['gateway-key-auth-rate-limiting', 'gateway-key-auth-rate-limiting-redis'],
  nodes: ['gateway-key-auth-rate-limiting', 'gateway-key-auth-rate-limiting-3-nodes'],
} as const satisfies Record<string, readonly ConfigurationId[]>;
export type Section = keyof typeof SECTIONS;
export const SECTION_NAMES = Object.keys(SECTIONS) as Section[];

/** The configurations a run measures: every one, or those of the `--only` sections, in the usual order. */
export function selectedConfigurations(only: readonly Section[] | null): ConfigurationId[] {
  if (only === null) return [...CONFIGURATION_IDS];
  const wanted = new Set<ConfigurationId>(only.flatMap((section) => SECTIONS[section]));
  return CONFIGURATION_IDS.filter((id) => wanted.has(id));
}

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
  /**
   * A third server loaded at the same time, for a plugin's own cost: the configuration the numerator
   * adds one plugin to. Each round then also gives (numerator CPU − alongside CPU) against the denominator's.
   */
  alongside?: ConfigurationId;
  /**
   * Each server at the same fixed rate (--pair-rate) instead of saturated. Saturated servers sharing a
   * core batch more or less work per wake-up as the scheduler happens to slice them, which moved one
   * round's CPU per request by up to 30 % between two identical gateways; at a fixed rate below
   * saturation they agree within a few per cent, and a plugin's cost of a few µs shows.
   */
  fixedRate?: boolean;
}

/** Two identical gateways: how far apart the method puts what should be 1.00. */
export const TWIN_PAIR_NAME = 'none_vs_twin';

export const SIDE_BY_SIDE_PAIRS: readonly SideBySidePair[] = [
  { name: 'gateway_vs_minimal', numerator: 'gateway-key-auth-rate-limiting', denominator: 'minimal' },
  { name: 'kong_shaped_vs_minimal', numerator: 'kong-shaped', denominator: 'minimal' },
  { name: 'gateway_vs_kong_shaped', numerator: 'gateway-key-auth-rate-limiting', denominator: 'kong-shaped' },
  { name: 'plugins_vs_none', numerator: 'gateway-key-auth-rate-limiting', denominator: 'gateway-none', fixedRate: true },
  { name: TWIN_PAIR_NAME, numerator: 'gateway-none-twin', denominator: 'gateway-none', fixedRate: true },
  { name: 'gateway_vs_nginx', numerator: 'gateway-key-auth-rate-limiting', denominator: 'nginx' },
  ...ADDED_PLUGINS.map((plugin) => ({
    name: addedPluginPairName(plugin),
    numerator: addedPluginConfiguration(plugin),
    denominator: 'gateway-none' as const,
    alongside: 'gateway-key-auth-rate-limiting' as const,
    fixedRate: true,
  })),
  { name: 'redis_vs_local', numerator: 'gateway-key-auth-rate-limiting-redis', denominator: 'gateway-key-auth-rate-limiting' },
];

/** `side_by_side.<name>` of a plugin's configuration against no plugins: `basic_auth_vs_none`, … */
export function addedPluginPairName(plugin: AddedPlugin): string {
  return `${plugin.replaceAll('-', '_')}_vs_none`;
}

/**
 * Order of round `round` (0-based): forwards on even rounds, backwards on odd ones, so a drift in
 * the machine's speed during the run weighs on every configuration alike.
 */
export function roundOrder<T>(ids: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...ids] : [...ids].reverse();
}
