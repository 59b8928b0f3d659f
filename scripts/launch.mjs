// How every command of the kit starts (`npm run <name>` through bin/labkit, and bin/deck): from an
// esbuild bundle in .labkit/bundle/, so that a command does not pay tsx's start-up (about 2 s here)
// on each run. One build makes every entry (scripts/*.ts, and the deck) with shared chunks, and
// records the sources it read; a command whose sources are all older than the build runs the bundle,
// otherwise the bundle is rebuilt first. Without esbuild, or with LABKIT_DEV=1, the TypeScript runs
// through tsx as before. Plain JavaScript: it must run before anything is built.
//
// `node scripts/launch.mjs --build` builds the bundle (npm's `prepare`); it never fails the install.

import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// LABKIT_BUNDLE_DIR: elsewhere (the launcher's tests build into a folder of their own).
const BUNDLE_DIR = process.env.LABKIT_BUNDLE_DIR || join(ROOT, '.labkit', 'bundle');
const MANIFEST = join(BUNDLE_DIR, 'manifest.json');
/** What else decides the bundle: a package update rewrites these. */
const DEPENDENCY_STAMPS = ['package.json', 'package-lock.json', join('node_modules', '.package-lock.json')];
/** Bundles of older builds stay this long: a command started before a rebuild may still load chunks from them. */
const KEEP_OLD_FILES_MS = 24 * 60 * 60_000;
// Bundled CommonJS packages call require() for Node's built-ins; an ES module has no require.
const REQUIRE_SHIM = "import { createRequire as __labkitCreateRequire } from 'node:module';\nconst require = __labkitCreateRequire(import.meta.url);";

/** Entry name → source, relative to the repository: every scripts/<name>.ts, and the deck. */
export function entryPoints() {
  const entries = { deck: 'harness/src/deck/main.ts' };
  for (const file of readdirSync(join(ROOT, 'scripts'))) {
    if (file.endsWith('.ts')) entries[file.slice(0, -3)] = `scripts/${file}`;
  }
  return entries;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Whether a recorded build is current for `root`: made there (not in a moved copy), and no source it
 * read, nor the dependencies, changed since it started (a missing one counts as changed). A few
 * hundred stat calls: the manifest's list of inputs is what makes the check cheap.
 */
export function isCurrent(manifest, root) {
  if (!manifest || manifest.root !== root || !Array.isArray(manifest.inputs)) return false;
  const changed = (input) => mtime(join(root, input)) > manifest.startedAt;
  // A stamp that does not exist (no lock file yet) says nothing; a source that does not exist was removed.
  const stampChanged = (stamp) => existsSync(join(root, stamp)) && changed(stamp);
  return !manifest.inputs.some(changed) && !DEPENDENCY_STAMPS.some(stampChanged);
}

/** The bundle file for `entry` when the recorded build is current, else null. */
function currentBundle(entry) {
  const manifest = readManifest();
  if (!isCurrent(manifest, ROOT) || !manifest.entries?.[entry]) return null;
  const file = join(BUNDLE_DIR, manifest.entries[entry]);
  return existsSync(file) ? file : null;
}

/**
 * `import.meta.url` in our sources names the source file (they find labs/, bin/, gateway/src/ from
 * it), so it is replaced by that file's URL; in strings and comments it is left as written.
 */
export function pinImportMetaUrl(source, fileUrl) {
  const literal = JSON.stringify(fileUrl);
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      // A quote inside a regular expression (/'/g) opens no string past its line.
      let j = i + 1;
      while (j < source.length && source[j] !== c && (c === '`' || source[j] !== '\n')) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (source.startsWith('import.meta.url', i) && !/[\w$.]/.test(source[i - 1] ?? '') && !/[\w$]/.test(source[i + 15] ?? '')) {
      out += literal;
      i += 15;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

const pinImportMetaUrlPlugin = {
  name: 'labkit-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      return { contents: pinImportMetaUrl(source, pathToFileURL(args.path).href), loader: 'ts' };
    });
  },
};

function sameContents(file, contents) {
  try {
    return Buffer.from(contents).equals(readFileSync(file));
  } catch {
    return false;
  }
}

/** Writes `file` whole or not at all (another command may be reading the same name). */
function writeAtomically(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/** Builds every entry; returns the manifest. Throws when esbuild is missing or the build fails. */
export async function buildBundle() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const entries = entryPoints();
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, source]) => [name, join(ROOT, source)])),
    outdir: BUNDLE_DIR,
    absWorkingDir: ROOT,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // Content-named files: a rebuild never rewrites a file another command is loading.
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: REQUIRE_SHIM },
    // Docker's client brings native addons (ssh2, cpu-features) esbuild cannot bundle, and zx's CommonJS build
    // and esbuild read __filename: they load from node_modules (zx only when asked for: --step, --keep, a spinner).
    external: ['testcontainers', 'ssh2', 'cpu-features', 'dockerode', 'docker-modem', 'zx', 'esbuild'],
    plugins: [pinImportMetaUrlPlugin],
    metafile: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) {
    // Same name, same content, unless something else wrote there: then it is put right.
    if (!sameContents(file.path, file.contents)) writeAtomically(file.path, file.contents);
  }
  const bundled = {};
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    // Named after its entry (entryNames): the entry point itself may be spelled through a symbolic link.
    const file = basename(output);
    const name = Object.keys(entries).find((entry) => new RegExp(`^${entry}-[A-Z0-9]+\\.mjs$`).test(file));
    if (name) bundled[name] = relative(BUNDLE_DIR, join(ROOT, output));
  }
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  const manifest = { root: ROOT, startedAt, entries: bundled, inputs };
  writeAtomically(MANIFEST, `${JSON.stringify(manifest)}\n`);
  pruneOldFiles(new Set(result.outputFiles.map((file) => file.path)));
  return manifest;
}

function pruneOldFiles(current) {
  const now = Date.now();
  for (const dir of [BUNDLE_DIR, join(BUNDLE_DIR, 'chunks')]) {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (!name.endsWith('.mjs') || current.has(file)) continue;
      if (now - mtime(file) > KEEP_OLD_FILES_MS) rmSync(file, { force: true });
    }
  }
}

async function runWithTsx(entry) {
  const source = entryPoints()[entry];
  if (!source) throw new Error(`labkit: no command ${entry} (scripts/${entry}.ts does not exist)`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(ROOT, source)).href);
}

/** Runs `entry` (a scripts/<name>.ts, or 'deck') in this process, from the bundle when it can. */
export async function launch(entry) {
  // undici parses HTTP with llhttp compiled to WebAssembly, which V8 re-compiles with TurboFan on background
  // threads; Node waits for those before the process exits, about 0.2 s on every short command (status,
  // reset). V8's baseline (Liftoff) code parses the few answers a command reads just as well.
  setFlagsFromString('--liftoff-only');
  if (process.env.LABKIT_DEV === '1') return runWithTsx(entry);
  let bundle = currentBundle(entry);
  if (!bundle) {
    try {
      if (process.stderr.isTTY) process.stderr.write('labkit: sources changed, rebuilding the command bundle…\n');
      const manifest = await buildBundle();
      if (manifest.entries[entry]) bundle = join(BUNDLE_DIR, manifest.entries[entry]);
    } catch {
      // No esbuild (or a source it cannot read): tsx runs the TypeScript, and reports any error in context.
    }
  }
  if (!bundle) return runWithTsx(entry);
  await import(pathToFileURL(bundle).href);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--build') {
  // npm's `prepare`: a failed build only means the first command builds (or falls back to tsx).
  try {
    const manifest = await buildBundle();
    process.stdout.write(`labkit: ${Object.keys(manifest.entries).length} commands bundled in ${relative(ROOT, BUNDLE_DIR)}/\n`);
  } catch (error) {
    process.stderr.write(`labkit: commands not bundled (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); they will run through tsx.\n`);
  }
}
