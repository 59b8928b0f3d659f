// Entity shapes after validation, with every default filled the way Kong fills them.
// Field names and nullability follow Kong's schemas so that POST /config and GET /config
// can echo these objects as they are.

export interface ForeignKey {
  id: string;
}

export type ServiceProtocol = 'grpc' | 'grpcs' | 'http' | 'https' | 'tcp' | 'tls' | 'tls_passthrough' | 'udp';

export interface Service {
  id: string;
  name: string | null;
  protocol: ServiceProtocol;
  host: string;
  port: number;
  path: string | null;
  retries: number;
  connect_timeout: number;
  write_timeout: number;
  read_timeout: number;
  tags: string[] | null;
  client_certificate: ForeignKey | null;
  tls_verify: boolean | null;
  tls_verify_depth: number | null;
  ca_certificates: string[] | null;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}

export interface Route {
  id: string;
  name: string | null;
  protocols: string[];
  methods: string[] | null;
  hosts: string[] | null;
  paths: string[] | null;
  headers: Record<string, string[]> | null;
  snis: string[] | null;
  sources: Array<{ ip?: string; port?: number }> | null;
  destinations: Array<{ ip?: string; port?: number }> | null;
  strip_path: boolean;
  preserve_host: boolean;
  regex_priority: number;
  path_handling: 'v0' | 'v1';
  https_redirect_status_code: 426 | 301 | 302 | 307 | 308;
  request_buffering: boolean;
  response_buffering: boolean;
  tags: string[] | null;
  service: ForeignKey | null;
  created_at: number;
  updated_at: number;
}

export interface Consumer {
  id: string;
  username: string | null;
  custom_id: string | null;
  tags: string[] | null;
  created_at: number;
  updated_at: number;
}

export interface Plugin<Config = Record<string, unknown>> {
  id: string;
  name: string;
  instance_name: string | null;
  config: Config;
  enabled: boolean;
  protocols: string[];
  route: ForeignKey | null;
  service: ForeignKey | null;
  consumer: ForeignKey | null;
  tags: string[] | null;
  created_at: number;
  updated_at: number;
}

export interface KeyauthCredential {
  id: string;
  consumer: ForeignKey;
  key: string;
  ttl: number | null;
  tags: string[] | null;
  created_at: number;
}

export interface BasicauthCredential {
  id: string;
  consumer: ForeignKey;
  username: string;
  /** Salted SHA-1 (sha1(password .. consumer_id)) once transformed, as Kong stores it. */
  password: string;
  tags: string[] | null;
  created_at: number;
}

export interface Acl {
  id: string;
  consumer: ForeignKey;
  group: string;
  tags: string[] | null;
  created_at: number;
}

/**
 * A validated declarative configuration, flattened: nested children carry their parent's
 * foreign key. Arrays keep declaration order (parents before their nested children).
 */
export interface FlatConfig {
  services: Service[];
  routes: Route[];
  consumers: Consumer[];
  plugins: Plugin[];
  keyauth_credentials: KeyauthCredential[];
  basicauth_credentials: BasicauthCredential[];
  acls: Acl[];
}

export const ENTITY_COLLECTIONS = [
  'services',
  'routes',
  'consumers',
  'plugins',
  'keyauth_credentials',
  'basicauth_credentials',
  'acls',
] as const satisfies ReadonlyArray<keyof FlatConfig>;

export type EntityCollection = (typeof ENTITY_COLLECTIONS)[number];

export function emptyFlatConfig(): FlatConfig {
  return { services: [], routes: [], consumers: [], plugins: [], keyauth_credentials: [], basicauth_credentials: [], acls: [] };
}
