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
/** A command waiting in the foreground for Ctrl-C (lab --keep): the first signal is its to handle. */
let claimant: ((signal: NodeJS.Signals) => void) | null = null;

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
  if (claimant) {
    // The waiting command closes what it opened and ends with its own exit status; a second
    // Ctrl-C while it does still ends everything at once (above).
    const resolve = claimant;
    claimant = null;
    resolve(signal);
    return;
  }
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

/**
 * Resolves on the first Ctrl-C, SIGTERM or SIGHUP, which the caller then handles itself (nothing is
 * closed for it). Keeps the process alive while waiting: a signal listener alone does not, and an
 * environment whose sockets are unreferenced (Docker's) would otherwise let Node exit at once.
 */
export function waitForInterruption(): Promise<NodeJS.Signals> {
  install();
  const keepAlive = setInterval(() => undefined, 2 ** 31 - 1);
  return new Promise<NodeJS.Signals>((resolve) => {
    claimant = (signal) => {
      clearInterval(keepAlive);
      resolve(signal);
    };
  });
}

/**
 * Closes everything registered (bounded), then exits with `exitCode`: for an end that is not a
 * signal, such as a reader that stopped reading (EPIPE on stdout).
 */
export function exitAfterCleanup(exitCode: number): void {
  if (signalled) return;
  signalled = true;
  void closeAll().finally(() => process.exit(exitCode));
}
