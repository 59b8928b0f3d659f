// Labels on everything we create in Docker. Without the reaper (it cannot be pulled offline) a
// killed run leaves containers and networks behind; the labels say whose they were, so the next
// start can remove exactly those whose owner process is gone — and never a live run's.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

const PREFIX = 'dev.kong-labkit';
export const LABEL_MANAGED = `${PREFIX}.managed`;
export const LABEL_ENVIRONMENT = `${PREFIX}.environment`;
export const LABEL_ROLE = `${PREFIX}.role`;
export const LABEL_OWNER_HOST = `${PREFIX}.owner-host`;
export const LABEL_OWNER_PID = `${PREFIX}.owner-pid`;
/** The owner's start time (Linux clock ticks since boot) so a recycled pid is not taken for the owner. */
export const LABEL_OWNER_STARTED = `${PREFIX}.owner-started`;
/** On images: which of our images this is (gateway, httpbin, debian-node, debian-httpbin). */
export const LABEL_IMAGE = `${PREFIX}.image`;

export interface Owner {
  host: string;
  pid: number;
  /** '' where the platform does not tell (then only the pid is checked). */
  started: string;
}

function processStartTicks(pid: number): string {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces, so split after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid, started: processStartTicks(process.pid) };
}

export function ownerLabels(owner: Owner = currentOwner()): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_OWNER_HOST]: owner.host,
    [LABEL_OWNER_PID]: String(owner.pid),
    [LABEL_OWNER_STARTED]: owner.started,
  };
}

export type OwnerState = 'alive' | 'gone' | 'elsewhere';

/** Whether the process that created something (per its labels) still runs on this machine. */
export function ownerState(labels: Record<string, string> | undefined): OwnerState {
  const host = labels?.[LABEL_OWNER_HOST];
  const pid = Number(labels?.[LABEL_OWNER_PID]);
  // Another machine's (a shared remote daemon): we cannot tell, so we leave it alone.
  if (host !== hostname()) return 'elsewhere';
  if (!Number.isInteger(pid) || pid <= 0) return 'gone';
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EPERM') return 'gone';
  }
  const started = labels?.[LABEL_OWNER_STARTED] ?? '';
  if (started && processStartTicks(pid) !== started) return 'gone';
  return 'alive';
}
