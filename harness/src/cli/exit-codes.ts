// The table lives with the error registry (errors/exit-codes.ts), the lowest layer, so that every
// layer's errors can name their status; the commands import it from here as before.
export { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_NOTHING_RUNNING, EXIT_OK, EXIT_USAGE } from '../errors/exit-codes.js';
