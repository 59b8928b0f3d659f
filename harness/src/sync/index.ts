// The harness's decK-style sync: the lab runner, classroom and docs call these; the work is done by
// the kit's `deck` (harness/src/deck), so `npm run lab` and `deck gateway sync` are one implementation.
export type { SyncAction, SyncChange, SyncOptions, SyncReport } from '../deck/types.js';
export { SyncError, type SourcePosition } from '../deck/errors.js';
export { syncDeclarationFile, syncDeclarationText, resetGateway, readDeclarationFile } from '../deck/sync.js';
export { formatSyncReport } from '../deck/format-report.js';
