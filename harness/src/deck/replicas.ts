// A scaled data plane: several gateway nodes that must hold one declaration. Node 1 is planned
// against and reported on; the others get the same POST /config, have their counters cleared with
// it, and must then report node 1's configuration_hash, or the sync fails saying which node differs.

import { AdminClient } from './admin-client.js';
import { SyncError } from './errors.js';

export class ReplicaSet {
  readonly #replicas: AdminClient[];
  readonly #source: string;

  constructor(adminUrls: readonly string[], source: string, headers?: Record<string, string>) {
    this.#replicas = adminUrls.map((url) => new AdminClient(url, source, headers));
    this.#source = source;
  }

  /** Node 1 accepted it; a node that refuses the same declaration is a node of another version. */
  async postConfig(declaration: unknown): Promise<void> {
    for (const [index, replica] of this.#replicas.entries()) {
      const result = await replica.postConfig(declaration);
      if (!result.ok) {
        throw new SyncError(this.#source, `gateway node ${index + 2} (${replica.adminUrl}) refused the declaration node 1 accepted (HTTP ${result.status}); are all nodes the same version?`);
      }
    }
  }

  async clearCounters(): Promise<void> {
    for (const replica of this.#replicas) await replica.clearCounters();
  }

  async purgeProxyCache(): Promise<void> {
    for (const replica of this.#replicas) await replica.purgeProxyCache();
  }

  async checkHash(expected: string): Promise<void> {
    for (const [index, replica] of this.#replicas.entries()) {
      const hash = await replica.configurationHash();
      if (hash !== expected) {
        throw new SyncError(this.#source, `gateway node ${index + 2} (${replica.adminUrl}) holds configuration ${hash || '(none)'}, node 1 holds ${expected}: the nodes disagree. Sync again.`);
      }
    }
  }
}
