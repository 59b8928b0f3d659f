// decK's console output for a sync: one line per change, then the summary block.

import type { SyncReport } from './types.js';

export function formatSyncReport(report: SyncReport): string {
  const { created, updated, deleted } = report.summary;
  return [
    ...report.changes.map((change) => change.line),
    'Summary:',
    `  Created: ${created}`,
    `  Updated: ${updated}`,
    `  Deleted: ${deleted}`,
  ].join('\n');
}
