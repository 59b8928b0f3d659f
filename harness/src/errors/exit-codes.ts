// The exit statuses every command shares: the one table, named once, in the lowest layer, so that
// every layer may name a status.

/** All well (a `--keep` ended by Ctrl-C or SIGTERM too: that is how it is meant to end). */
export const EXIT_OK = 0;
/** A check or a comparison failed (drift), or the environment could not be started or is broken. */
export const EXIT_FAILED = 1;
/** Wrong command line or unusable input (a broken lab file, an unknown lab). */
export const EXIT_USAGE = 2;
/** `npm run status` and `npm run env`: no environment is running. */
export const EXIT_NOTHING_RUNNING = 3;
/** Interrupted by Ctrl-C (128 + SIGINT) before the work was done. */
export const EXIT_INTERRUPTED = 130;
