// The one way the harness stops a child process it started: a signal, a bounded wait, then SIGKILL.

/**
 * Sends `signal` and waits until `exited` settles; when that takes longer than `boundMs`, SIGKILLs
 * and waits again. Resolves once the process is gone.
 */
export async function stopChild(
  child: { kill(signal: NodeJS.Signals): boolean },
  exited: Promise<unknown>,
  signal: NodeJS.Signals,
  boundMs: number,
): Promise<void> {
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([
    exited.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), boundMs);
    }),
  ]);
  clearTimeout(timer);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

export interface ExitWatch {
  /** True once the process has exited (or could not be started). */
  readonly exited: boolean;
  /** Settles then; never rejects. */
  readonly exit: Promise<void>;
}

/** Follows a child's end: its `exit`, or the `error` of a process that could not be spawned. */
export function watchExit(child: { once(event: 'exit' | 'error', listener: () => void): unknown }): ExitWatch {
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    const done = () => {
      exited = true;
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  return {
    get exited() {
      return exited;
    },
    exit,
  };
}
