// Public shapes of a decK-style sync.

export interface SyncOptions {
  adminUrl: string;
  /** Clear the gateway's rate-limiting counters after a successful sync. Default true. */
  resetCounters?: boolean;
  /** Extra --select-tag values; must equal the file's _info.select_tags when both are given. */
  selectTags?: string[];
  /** decK's `--headers`, sent with every Admin API request. */
  headers?: Record<string, string>;
  /** `deck gateway apply`: never delete what the file does not name. */
  partial?: boolean;
  /**
   * The Admin APIs of the other gateway nodes of a scaled data plane (adminUrl is node 1's): each gets
   * the same declaration and counter reset, and must end with node 1's configuration_hash.
   */
  replicaAdminUrls?: string[];
}

/** What `deck gateway diff` would do: the changes, nothing applied. */
export interface DiffReport {
  changes: SyncChange[];
  summary: { created: number; updated: number; deleted: number };
}

export type SyncAction = 'creating' | 'updating' | 'deleting';

export interface SyncChange {
  action: SyncAction;
  /** decK's entity label: service, route, plugin, consumer, key-auth, basic-auth, acl-group. */
  kind: string;
  /** decK's console name, e.g. `httpbin-service`, `key-auth for service httpbin-service`, `23456 for consumer consumer1`. */
  name: string;
  /** What decK prints for this change; an update spans several lines (the field diff). */
  line: string;
  /** `--json-output`'s body: the compared fields before and after (null for a create's old, a delete's new). */
  body: { old: Record<string, unknown> | null; new: Record<string, unknown> | null };
}

export interface SyncReport {
  changes: SyncChange[];
  summary: { created: number; updated: number; deleted: number };
  counters: 'cleared' | 'kept' | 'unsupported';
  configurationHash: string;
}
