// Maps positions in code that tsx compiled back to lines of the .ts files, for CPU profile reports:
// it loads each file the way the gateway did (tsx, source maps on) and asks Node for the map.
// Run as `node --enable-source-maps --import tsx source-positions.ts` with BENCH_POSITIONS, a JSON
// array of {url, lineNumber, columnNumber}; prints a JSON array of 1-based lines (null where unknown).
// Entry points (main.ts) are never loaded: importing them would start a gateway.

import { findSourceMap } from 'node:module';

interface Position {
  url: string;
  lineNumber: number;
  columnNumber: number;
}

const positions = JSON.parse(process.env.BENCH_POSITIONS ?? '[]') as Position[];
const loadable = (url: string) => url.startsWith('file://') && /\.ts$/.test(url) && !/\/(main|bench|labs?)\.ts$/.test(url);
for (const url of new Set(positions.map((p) => p.url).filter(loadable))) {
  try {
    await import(url);
  } catch {
    // A file that does not load gets no lines; the report keeps the compiled position.
  }
}
const lines = positions.map(({ url, lineNumber, columnNumber }) => {
  if (!loadable(url)) return null;
  const entry = findSourceMap(url)?.findEntry(lineNumber, columnNumber) as { originalLine?: number } | undefined;
  return typeof entry?.originalLine === 'number' ? entry.originalLine + 1 : null;
});
process.stdout.write(`${JSON.stringify(lines)}\n`);
process.exit(0);
