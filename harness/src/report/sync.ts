// decK's sync report as the lab output shows it to people. decK names a key-auth credential by the last
// five characters of its key (`creating key-auth 23456 for consumer consumer1`), which reads as if the
// key were 23456; here the tail is marked as one: `creating key-auth …23456 for consumer consumer1`.

import { formatSyncReport, type SyncReport } from '../sync/index.js';

export function formatSyncForPeople(report: SyncReport): string {
  const changes = report.changes.map((change) => {
    if (change.kind !== 'key-auth') return change;
    const label = `${change.action} key-auth ${change.name}`;
    return change.line.startsWith(label) ? { ...change, line: `${change.action} key-auth …${change.name}${change.line.slice(label.length)}` } : change;
  });
  return formatSyncReport({ ...report, changes });
}
