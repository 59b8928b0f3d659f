// Reading /proc to prove which processes exist (Linux only; the lab kit's machines are Debian).

import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, state: rest[0], ppid: Number(rest[1]), cmdline };
  } catch {
    return null;
  }
}

function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== null);
}

/** Alive = exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const info = readProcess(pid);
  return info !== null && info.state !== 'Z';
}

/** `pid` and all its descendants that are alive. */
export function processTree(pid: number): number[] {
  const processes = allProcesses();
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const child of processes) if (child.ppid === tree[i] && !tree.includes(child.pid)) tree.push(child.pid);
  }
  return tree.filter(isAlive);
}

/** Alive processes whose command line contains every one of `parts`. */
export function processesMatching(...parts: string[]): number[] {
  return allProcesses()
    .filter((info) => info.state !== 'Z' && parts.every((part) => info.cmdline.includes(part)))
    .map((info) => info.pid);
}

/** Alive descendants of this test process whose command line mentions `word`. */
export function ourDescendantsMatching(word: string): number[] {
  const processes = allProcesses();
  return processTree(process.pid).filter((pid) => pid !== process.pid && (processes.find((p) => p.pid === pid)?.cmdline ?? '').includes(word));
}

/** True when nothing listens on the loopback `port` any more (the network side of "the server is gone"). */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
