// The harness's folders are layers, and each imports only the layers below it, so that a change low down
// never needs one higher up, and no two layers lean on each other. Lowest first:
//   constants.ts (the repository's paths, Kong's ports, the workshop's names: defined once, for all)
//   → terminal → errors (colours and the stream text goes to; the exit-code table: what everything may use)
//   → process → http → sink → upstream → redis (services the environments start)
//   → spec (lab files) → env (where a lab runs)
//   → deck (how a declaration gets there), runner (walks through a lab's checks): neither knows the other
//   → sync (the deck as the rest of the harness uses it) → report (shows results)
//   → session (joins sync and runner: what `npm run lab` does once the environment runs)
//   → docs, classroom, bench (each on its own: none imports another)
//   → cli (the commands) → index.ts (the library's one entry).
// A process's entry point (`main.ts`, `*-main.ts`) stands apart: it wires layers together, and nothing imports it.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const REPO = resolve(SRC, '../..');

/** Lowest first; the folders of one entry are peers, and peers do not import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['constants.ts'],
  ['terminal'],
  ['errors'],
  ['process'],
  ['http'],
  ['sink'],
  ['upstream'],
  ['redis'],
  ['spec'],
  ['env'],
  ['deck', 'runner'],
  ['sync'],
  ['report'],
  ['session'],
  ['docs', 'classroom', 'bench'],
  ['cli'],
  ['index.ts'],
];

const ORDER_TEXT = LAYERS.map((peers) => peers.join(', ')).join(' → ');

function rankOf(top: string): number {
  return LAYERS.findIndex((peers) => peers.includes(top));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder right under src/ (or `index.ts` for the file there) a path is in. */
function topOf(path: string): string {
  return relative(SRC, path).split(sep)[0]!;
}

function isEntryPoint(path: string): boolean {
  const name = path.split(sep).pop()!;
  return name === 'main.ts' || name.endsWith('-main.ts');
}

interface Import {
  file: string;
  specifier: string;
  line: number;
  /** Resolved, without its extension. */
  target: string;
}

/** Every relative import, re-export and dynamic import() of a file, as TypeScript itself reads them. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .filter((imported) => imported.fileName.startsWith('.'))
    .map((imported) => ({
      file,
      specifier: imported.fileName,
      line: text.slice(0, imported.pos).split('\n').length,
      target: resolve(dirname(file), imported.fileName).replace(/\.(js|ts|mjs)$/, ''),
    }));
}

function shown(path: string): string {
  return relative(REPO, path);
}

function isTestCode(path: string): boolean {
  return relative(REPO, path).split(sep).includes('test');
}

/** What is wrong with one import, or null. */
function layerViolation(imported: Import): string | null {
  const where = `${shown(imported.file)}:${imported.line} imports '${imported.specifier}'`;
  if (isTestCode(imported.target)) return `${where}: harness/src never imports test code (test plumbing lives under test/)`;
  if (!imported.target.startsWith(SRC)) return null;
  if (isEntryPoint(`${imported.target}.ts`)) return `${where}: ${shown(imported.target)}.ts is an entry point: a process starts there, nothing imports it`;
  if (isEntryPoint(imported.file)) return null;
  const from = topOf(imported.file);
  const to = topOf(`${imported.target}.ts`);
  if (from === to) return null;
  const fromRank = rankOf(from);
  const toRank = rankOf(to);
  if (fromRank < 0 || toRank < 0) {
    const unknown = fromRank < 0 ? from : to;
    return `${where}: harness/src/${unknown} has no place in the layer order; add it to LAYERS in harness/test/layers.test.ts`;
  }
  if (toRank < fromRank) return null;
  const how = toRank === fromRank ? 'sideways, between peers' : 'upwards';
  return `${where}: ${from} → ${to} goes ${how}`;
}

describe('harness layers', () => {
  const files = sourceFiles(SRC);

  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    // The reader must see each form an import takes, or a violation could hide in one it misses.
    const forms = ts.preProcessFile(
      "import a from './a.js';\nimport type { B } from './b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');\nimport {\n  e,\n} from './e.js';\n",
      true,
      true,
    );
    expect(forms.importedFiles.map((imported) => imported.fileName)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js']);
  });

  it('gives every folder of harness/src a place in the order', () => {
    const tops = [...new Set(files.map(topOf))];
    expect(tops.filter((top) => rankOf(top) < 0), `add these to LAYERS in harness/test/layers.test.ts (${ORDER_TEXT})`).toEqual([]);
  });

  it('imports only downwards', () => {
    const violations = files.flatMap(importsOf).map(layerViolation).filter((problem) => problem !== null);
    const rule = `Layers import only those below them, lowest first: ${ORDER_TEXT}`;
    expect(violations, `${rule}\n${violations.join('\n')}`).toEqual([]);
  });

  it('tells an upward, a sideways and a downward import apart', () => {
    const probe = (file: string, specifier: string) =>
      layerViolation({ file: join(SRC, file), specifier, line: 1, target: resolve(dirname(join(SRC, file)), specifier).replace(/\.js$/, '') });
    expect(probe('session/x.ts', '../runner/run-lab.js')).toBeNull();
    expect(probe('runner/x.ts', '../sync/index.js')).toMatch(/^harness\/src\/runner\/x\.ts:1 imports '\.\.\/sync\/index\.js': runner → sync goes upwards$/);
    expect(probe('docs/x.ts', '../classroom/state.js')).toMatch(/docs → classroom goes sideways, between peers/);
    expect(probe('deck/x.ts', '../runner/run-lab.js')).toMatch(/deck → runner goes sideways/);
    expect(probe('cli/x.ts', '../deck/main.js')).toMatch(/is an entry point/);
    expect(probe('deck/main.ts', '../classroom/state.js')).toBeNull();
    expect(probe('env/x.ts', '../../test/support.js')).toMatch(/never imports test code/);
    expect(probe('env/x.ts', '../../../labs/test/support/setup.js')).toMatch(/never imports test code/);
    expect(probe('newthing/x.ts', '../spec/index.js')).toMatch(/harness\/src\/newthing has no place in the layer order/);
  });
});
