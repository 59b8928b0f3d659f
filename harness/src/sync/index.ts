export type { SyncAction, SyncChange, SyncOptions, SyncReport } from './types.js';
export { SyncError, type SourcePosition } from './errors.js';
export { syncDeclarationFile, syncDeclarationText, resetGateway } from './sync.js';
export { formatSyncReport } from './format-report.js';
