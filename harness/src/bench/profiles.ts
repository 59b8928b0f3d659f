// The gateways' CPU profiles (--profile DIR): the main thread's profile of each configuration,
// summarised, with function names pointing at lines of the .ts sources.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { PROCESSES_DIR, REPO_ROOT } from './paths.js';
import { mapBundledProfile } from './profile-bundle.js';
import { summarizeProfile, withOriginalLines, type CpuProfile, type ProfileEntry, type ProfileSummary } from './profile-summary.js';

const RESOLVE_TIMEOUT_MS = 60_000;

export interface NamedProfileSummary {
  name: string;
  summary: ProfileSummary;
}

/**
 * Per configuration directory, the main thread's profile: the one with the most samples (under tsx its
 * loader thread writes one too). Profiles of bundles come back with frames at their .ts positions.
 */
export function readProfiles(dir: string): NamedProfileSummary[] {
  const profiles: NamedProfileSummary[] = [];
  const directories = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const entry of directories.sort((a, b) => a.name.localeCompare(b.name))) {
    let best: CpuProfile | null = null;
    for (const file of readdirSync(join(dir, entry.name)).filter((name) => name.endsWith('.cpuprofile'))) {
      const profile = JSON.parse(readFileSync(join(dir, entry.name, file), 'utf8')) as CpuProfile;
      if (best === null || (profile.samples?.length ?? 0) > (best.samples?.length ?? 0)) best = profile;
    }
    if (best !== null) profiles.push({ name: entry.name, summary: summarizeProfile(mapBundledProfile(best), 20) });
  }
  return profiles;
}

type Frame = NonNullable<ProfileEntry['frame']>;
const key = (url: string, line: number, column: number) => `${url}|${line}|${column}`;

/** Rewrites function names to source lines; leaves them as they are if the lines cannot be found. */
export async function withSourceLines(profiles: NamedProfileSummary[]): Promise<NamedProfileSummary[]> {
  const frames: Frame[] = profiles.flatMap((p) => p.summary.functions.flatMap((f) => (f.frame && f.frame.url.endsWith('.ts') ? [f.frame] : [])));
  if (frames.length === 0) return profiles;
  const result = await execa(process.execPath, ['--enable-source-maps', '--import', 'tsx', join(PROCESSES_DIR, 'source-positions.ts')], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: RESOLVE_TIMEOUT_MS,
    stdin: 'ignore',
    env: { BENCH_POSITIONS: JSON.stringify(frames.map(({ url, lineNumber, columnNumber }) => ({ url, lineNumber, columnNumber }))) },
  });
  let lines: (number | null)[];
  try {
    lines = JSON.parse(String(result.stdout).trim().split('\n').at(-1) ?? '[]') as (number | null)[];
  } catch {
    return profiles;
  }
  const resolved = new Map<string, number>();
  frames.forEach((frame, i) => {
    const line = lines[i];
    if (typeof line === 'number') resolved.set(key(frame.url, frame.lineNumber, frame.columnNumber), line);
  });
  return profiles.map((p) => ({
    name: p.name,
    summary: withOriginalLines(p.summary, (url, line, column) => resolved.get(key(url, line, column)) ?? null),
  }));
}
