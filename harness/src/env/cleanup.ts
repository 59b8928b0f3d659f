// One process-wide safety net: whatever environments are still open when the process is
// interrupted (Ctrl-C, SIGTERM) or exits get closed, so no gateway or httpbin outlives the harness.
// The handlers are installed once, on the first registration, and only while something is open
// matters: with nothing registered they just re-raise the signal.

import { constants } from 'node:os';

const CLEANUP_BOUND_MS = 10_000;
const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Registration {
  close: () => Promise<void>;
  /** Child pids to SIGKILL synchronously if the process exits before `close` could run. */
  pids: () => number[];
}

const registrations = new Set<Registration>();
let installed = false;
let signalled = false;

function killSynchronously(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: nothing to do.
  }
}

async function closeAll(): Promise<void> {
  const pending = [...registrations].map((registration) => registration.close().catch(() => undefined));
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLEANUP_BOUND_MS);
    timer.unref();
  });
  await Promise.race([Promise.all(pending), bound]);
  clearTimeout(timer);
}

function onSignal(signal: NodeJS.Signals): void {
  if (signalled) {
    // A second Ctrl-C while closing: stop waiting.
    onExit();
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
  signalled = true;
  void closeAll().finally(() => {
    for (const name of HANDLED_SIGNALS) process.removeListener(name, onSignal);
    // Re-raise, so the process ends the way the signal meant (killed by it: exit status 128+n).
    // Listeners that remain (execa's signal-exit, a CLI's own handler) now see it as if we had
    // never been there.
    process.kill(process.pid, signal);
  });
}

function onExit(): void {
  // Last chance, synchronous only: whatever was not closed is killed outright.
  for (const registration of registrations) {
    for (const pid of registration.pids()) killSynchronously(pid);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const name of HANDLED_SIGNALS) process.on(name, onSignal);
  process.on('exit', onExit);
}

/**
 * Registers something to close on interruption or exit. Returns the function that unregisters it
 * (call it once the thing is closed normally).
 */
export function registerCleanup(close: () => Promise<void>, pids: () => number[] = () => []): () => void {
  install();
  const registration: Registration = { close, pids };
  registrations.add(registration);
  return () => {
    registrations.delete(registration);
  };
}

/** How many registrations are still open (for tests and diagnostics). */
export function openCleanupCount(): number {
  return registrations.size;
}
