// Public shapes of a decK-style sync.

export interface SyncOptions {
  adminUrl: string;
  /** Clear the gateway's rate-limiting counters after a successful sync. Default true. */
  resetCounters?: boolean;
  /** Extra --select-tag values; must equal the file's _info.select_tags when both are given. */
  selectTags?: string[];
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
}

export interface SyncReport {
  changes: SyncChange[];
  summary: { created: number; updated: number; deleted: number };
  counters: 'cleared' | 'kept' | 'unsupported';
  configurationHash: string;
}
