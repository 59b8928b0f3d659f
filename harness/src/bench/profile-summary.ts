// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and says where the time went: self time
// per function and per source area, idle time left out.

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  /** `function (file:line)` for functions, the area's name for areas; line 1-based. */
  name: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  share: number;
  /** Functions only: where V8 saw the function (0-based, in the code that ran, i.e. after tsx compiled it). */
  frame?: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  functions: ProfileEntry[];
  areas: ProfileEntry[];
}

const IDLE = new Set(['(idle)']);

/** Where a script belongs, in words a reader can act on. */
export function sourceArea(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const gateway = /\/gateway\/src\/(.+?)(?:\?.*)?$/.exec(url);
  if (gateway) return `gateway/src/${gateway[1]}`;
  const harness = /\/harness\/src\/(.+?)(?:\?.*)?$/.exec(url);
  if (harness) return `harness/src/${harness[1]}`;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function shortFile(url: string): string {
  const area = sourceArea(url, '');
  return area.startsWith('npm:') ? `${area}/${url.split('/').at(-1)?.split('?')[0]}` : area;
}

/** Maps a position in the code that ran to the 1-based line of the source file, when a source map says. */
export type OriginalLine = (url: string, lineNumber: number, columnNumber: number) => number | null;

function functionLabel(frame: NonNullable<ProfileEntry['frame']>, originalLine?: OriginalLine): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const line = originalLine?.(frame.url, frame.lineNumber, frame.columnNumber) ?? frame.lineNumber + 1;
  return `${name} (${shortFile(frame.url)}:${line})`;
}

export function summarizeProfile(profile: CpuProfile, top = 15, originalLine?: OriginalLine): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas && profile.samples.length === profile.timeDeltas.length) {
    // timeDeltas[i] is the time before sample i; attributing it to sample i is what DevTools does.
    for (let i = 0; i < profile.samples.length; i++) {
      selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, profile.timeDeltas[i]));
    }
  } else {
    const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const interval = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * interval);
  }
  // Keyed by the full position: tsx puts a whole file on one line, so name + line alone would merge functions.
  const functions = new Map<string, { frame: NonNullable<ProfileEntry['frame']>; us: number }>();
  const areas = new Map<string, number>();
  let totalUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (IDLE.has(functionName)) continue;
    busyUs += us;
    const key = `${functionName}|${url}|${lineNumber}|${columnNumber}`;
    const entry = functions.get(key);
    if (entry) entry.us += us;
    else functions.set(key, { frame: { functionName, url, lineNumber, columnNumber }, us });
    const area = sourceArea(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ frame, us }) => ({ name: functionLabel(frame, originalLine), selfMs: us / 1000, share: share(us), frame })),
    areas: [...areas]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: share(us) })),
  };
}

/** The same summary with function names pointing at source lines (see OriginalLine). */
export function withOriginalLines(summary: ProfileSummary, originalLine: OriginalLine): ProfileSummary {
  return {
    ...summary,
    functions: summary.functions.map((entry) => (entry.frame ? { ...entry, name: functionLabel(entry.frame, originalLine) } : entry)),
  };
}

export function formatProfileSummary(title: string, summary: ProfileSummary): string {
  const lines = [`${title}: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s profiled`];
  lines.push('  by area (self time):');
  for (const entry of summary.areas) lines.push(`    ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`);
  lines.push('  by function (self time):');
  for (const entry of summary.functions) lines.push(`    ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`);
  return lines.join('\n');
}
