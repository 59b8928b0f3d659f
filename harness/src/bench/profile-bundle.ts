// Profiled processes run as one esbuild bundle under plain `node --cpu-prof`: under tsx the profile
// Node writes is split between tsx's loader thread and the main thread, and the main thread's
// frames point into tsx's per-file output. The bundle's source map takes frames back to .ts lines.

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { CpuProfile } from './profile-summary.js';

/** Marks frames already mapped to their source, so nothing maps them a second time. */
export const MAPPED_QUERY = '?bundled';

/** Bundled scripts run as ESM; CommonJS packages in them (undici) still call require for Node built-ins. */
const REQUIRE_SHIM = "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

const bundles = new Map<string, Promise<string>>();

/** Bundles `entry` (a .ts script) into `outDir` once per run; resolves to the bundle's path. */
export function bundleForProfile(entry: string, outDir: string, name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  let pending = bundles.get(outfile);
  if (pending === undefined) {
    pending = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      banner: { js: REQUIRE_SHIM },
      logLevel: 'silent',
    }).then(() => outfile);
    bundles.set(outfile, pending);
  }
  return pending;
}

/**
 * Rewrites the frames of a profile taken from a bundle to the .ts positions its source map gives
 * (url with MAPPED_QUERY, 0-based line and column, as V8 writes them). Profiles of anything else
 * are left as they are.
 */
export function mapBundledProfile(profile: CpuProfile): CpuProfile {
  const maps = new Map<string, { map: SourceMap; dir: string } | null>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    if (!frame.url.endsWith('.mjs')) continue;
    let entry = maps.get(frame.url);
    if (entry === undefined) {
      const file = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
      const mapFile = `${file}.map`;
      entry = existsSync(mapFile) ? { map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))), dir: dirname(file) } : null;
      maps.set(frame.url, entry);
    }
    if (entry === null || frame.lineNumber < 0) continue;
    const found = entry.map.findEntry(frame.lineNumber, Math.max(0, frame.columnNumber));
    if (!('originalSource' in found) || found.originalSource === undefined) continue;
    const source = found.originalSource.startsWith('file:') ? found.originalSource : pathToFileURL(resolve(entry.dir, found.originalSource)).href;
    frame.url = `${source}${MAPPED_QUERY}`;
    frame.lineNumber = found.originalLine;
    frame.columnNumber = found.originalColumn;
  }
  return profile;
}
