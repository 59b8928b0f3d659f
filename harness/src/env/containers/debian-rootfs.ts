// The offline way to a base image: debootstrap a minimal Debian from the mirror this machine's apt
// already uses, trim it, and import it into Docker. Needs Linux, root and `debootstrap`.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type Dockerode from 'dockerode';
import { ImageBuildError } from './errors.js';
import { imageExists, importRootfs, type BuildOutput } from './image-build.js';
import { LABEL_IMAGE } from './labels.js';

const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
const DEFAULT_SUITE = 'bookworm';
const DEBOOTSTRAP_CANDIDATES = ['/usr/sbin/debootstrap', '/sbin/debootstrap', '/usr/bin/debootstrap'];
const TEMP_PREFIX = 'kong-labkit-rootfs-';
/** Docs, manuals, translations and apt's caches: a minbase rootfs goes from ~200 MB to ~74 MB. */
const TRIMMED_PATHS = ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale'];

export interface RootfsRecipe {
  /** Image repository name under kong-labkit/, e.g. 'debian-httpbin'. */
  name: string;
  /** Debian packages on top of minbase. */
  include: string[];
  /** Copy this machine's own `node` binary to /usr/local/bin/node (Debian's nodejs is too old). */
  hostNode: boolean;
  /** Default command of the imported image. */
  cmd: string[];
}

export type DebootstrapAvailability = { available: true; debootstrap: string } | { available: false; reason: string };

export function debootstrapAvailability(): DebootstrapAvailability {
  if (process.platform !== 'linux') return { available: false, reason: 'debootstrap needs Linux' };
  if (process.getuid?.() !== 0) return { available: false, reason: 'debootstrap needs root' };
  const debootstrap = DEBOOTSTRAP_CANDIDATES.find((path) => existsSync(path));
  if (!debootstrap) return { available: false, reason: 'debootstrap is not installed (apt-get install -y debootstrap)' };
  return { available: true, debootstrap };
}

function osRelease(): Record<string, string> {
  try {
    const pairs = readFileSync('/etc/os-release', 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1], match[2].replace(/^"|"$/g, '')] as const);
    return Object.fromEntries(pairs);
  } catch {
    return {};
  }
}

/** This machine's Debian release when it is Debian (its node binary then surely runs there), else bookworm. */
export function debianSuite(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LABKIT_DEBIAN_SUITE) return env.LABKIT_DEBIAN_SUITE;
  const release = osRelease();
  return release.ID === 'debian' && release.VERSION_CODENAME ? release.VERSION_CODENAME : DEFAULT_SUITE;
}

/** Reads apt's sources (one-line and deb822) for a `deb` entry of `suite` with `main`. */
export function aptSourcesMirror(suite: string, root = '/etc/apt'): string | null {
  const files: string[] = [];
  if (existsSync(join(root, 'sources.list'))) files.push(join(root, 'sources.list'));
  const dir = join(root, 'sources.list.d');
  if (existsSync(dir)) for (const name of readdirSync(dir).sort()) files.push(join(dir, name));
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) =>
          new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
        if (field('Types').includes('deb') && field('Suites').includes(suite) && field('Components').includes('main')) {
          const uri = field('URIs').find((u) => /^https?:\/\//.test(u));
          if (uri) return uri.replace(/\/+$/, '');
        }
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const words = line.replace(/#.*/, '').replace(/\[[^\]]*\]/, '').trim().split(/\s+/);
        if (words[0] === 'deb' && words[2] === suite && words.slice(3).includes('main') && /^https?:\/\//.test(words[1] ?? '')) {
          return words[1].replace(/\/+$/, '');
        }
      }
    }
  }
  return null;
}

export function debianMirror(suite: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.LABKIT_DEBIAN_MIRROR || aptSourcesMirror(suite) || DEFAULT_MIRROR;
}

/** Content-derived tag: the same recipe on the same suite (and the same node) is built once. */
export function rootfsImageTag(recipe: RootfsRecipe, suite: string): string {
  const hash = createHash('sha256').update(JSON.stringify({ recipe, suite, variant: 'minbase' }));
  if (recipe.hostNode) hash.update(`${process.version} ${process.arch} ${process.execPath}`);
  return `kong-labkit/${recipe.name}:${suite}-${hash.digest('hex').slice(0, 12)}`;
}

/** Mount points debootstrap left inside `dir` (it mounts /proc and friends while configuring). */
function mountsUnder(dir: string): string[] {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
      .filter((mountPoint): mountPoint is string => !!mountPoint && mountPoint.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
  } catch {
    return [];
  }
}

async function removeRootfs(dir: string): Promise<void> {
  // Never recurse into a mounted /proc or /sys: unmount first, deepest first.
  for (const mountPoint of mountsUnder(dir)) await execa('umount', ['-l', mountPoint], { reject: false });
  if (mountsUnder(dir).length > 0) throw new ImageBuildError(`${dir} still has mounts; remove it by hand after unmounting them`);
  await rm(dir, { recursive: true, force: true });
}

/** Root filesystems of runs that were killed while building (their pid is in the directory name). */
async function removeAbandonedRootfs(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const match = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
    if (!match) continue;
    try {
      process.kill(Number(match[1]), 0);
    } catch {
      await removeRootfs(join(tmpdir(), name)).catch(() => undefined);
    }
  }
}

/** Removes what is inside, keeping the directory (apt expects its cache directories to exist). */
async function emptyDirectory(path: string): Promise<void> {
  if (!existsSync(path)) return;
  for (const name of readdirSync(path)) await rm(join(path, name), { recursive: true, force: true });
}

/**
 * dpkg fsyncs every file it unpacks: on a VM disk that doubles debootstrap's time (104 s → 48 s
 * measured for minbase). A throw-away build needs no crash safety; Docker's own Debian images
 * ship the same setting (docker-apt-speedup). Written before debootstrap so its dpkg runs see it.
 */
async function preferSpeedToDurability(dir: string): Promise<void> {
  const configDir = join(dir, 'etc', 'dpkg', 'dpkg.cfg.d');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'kong-labkit-unsafe-io'), '# written by the kong-labkit image build\nforce-unsafe-io\n');
}

async function runDebootstrap(
  debootstrap: string,
  recipe: RootfsRecipe,
  suite: string,
  mirror: string,
  dir: string,
  output: BuildOutput,
): Promise<void> {
  const args = ['--variant=minbase', '--components=main'];
  if (recipe.include.length > 0) args.push(`--include=${recipe.include.join(',')}`);
  args.push(suite, dir, mirror);
  const child = execa(debootstrap, args, { reject: false, all: true, buffer: false, stdin: 'ignore' });
  const tail: string[] = [];
  let phase = '';
  createInterface({ input: child.all! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 25) tail.shift();
    // "I: Retrieving libc6 …" → phase "Retrieving": one progress line per phase, not per package.
    // Retrieving and Validating alternate per package: one phase.
    const next = /^I: (\S+)/.exec(line)?.[1]?.replace('Validating', 'Retrieving') ?? phase;
    if (next !== phase) {
      phase = next;
      output.onProgress?.(`${recipe.name}: ${line.slice(3)}`);
    } else {
      output.onLog?.(line);
    }
  });
  const result = await child;
  if (result.exitCode !== 0) {
    let log = tail.join('\n');
    try {
      log = readFileSync(join(dir, 'debootstrap', 'debootstrap.log'), 'utf8').split('\n').slice(-25).join('\n');
    } catch {
      // debootstrap did not get as far as its log.
    }
    throw new ImageBuildError(
      `debootstrap of ${suite} from ${mirror} failed (exit ${result.exitCode}). ` +
        'Check that the mirror answers (LABKIT_DEBIAN_MIRROR chooses another) and that the packages exist in that release.',
      log,
    );
  }
}

async function addHostNode(dir: string): Promise<void> {
  const target = join(dir, 'usr', 'local', 'bin', 'node');
  await copyFile(process.execPath, target);
  await chmod(target, 0o755);
  // The binary links against the host's glibc and libstdc++: make sure the rootfs has them.
  const check = await execa('chroot', [dir, '/usr/local/bin/node', '-e', 'process.stdout.write(process.version)'], { reject: false });
  if (check.exitCode !== 0 || check.stdout !== process.version) {
    throw new ImageBuildError(
      `this machine's node (${process.execPath}) does not run inside the Debian ${dir} rootfs: ${String(check.stderr).trim()}. ` +
        'Set LABKIT_DEBIAN_SUITE to a newer Debian release, or use a public base (npm run images -- --base public).',
    );
  }
}

/**
 * Builds kong-labkit/<recipe.name>:<suite>-<hash> unless Docker already has it. Returns the tag.
 * Takes 30–90 s (downloads from the mirror); callers say so before calling.
 */
export async function ensureRootfsImage(dockerode: Dockerode, recipe: RootfsRecipe, output: BuildOutput = {}): Promise<string> {
  const availability = debootstrapAvailability();
  if (!availability.available) throw new ImageBuildError(`cannot build ${recipe.name} offline: ${availability.reason}`);
  const suite = debianSuite();
  const tag = rootfsImageTag(recipe, suite);
  if (await imageExists(dockerode, tag)) return tag;
  await removeAbandonedRootfs();
  const mirror = debianMirror(suite);
  const dir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  try {
    await preferSpeedToDurability(dir);
    output.onProgress?.(`${recipe.name}: debootstrap ${suite} (minbase${recipe.include.length ? ` + ${recipe.include.join(', ')}` : ''}) from ${mirror}`);
    await runDebootstrap(availability.debootstrap, recipe, suite, mirror, dir, output);
    for (const path of TRIMMED_PATHS) await emptyDirectory(join(dir, path));
    if (recipe.hostNode) await addHostNode(dir);
    output.onProgress?.(`${recipe.name}: importing the root filesystem as ${tag}`);
    await importRootfs(dockerode, {
      rootfsDir: dir,
      tag,
      changes: [
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'ENV LANG=C.UTF-8',
        `LABEL ${LABEL_IMAGE}=${recipe.name}`,
        `CMD ${JSON.stringify(recipe.cmd)}`,
      ],
      onLog: output.onLog,
    });
    return tag;
  } finally {
    await removeRootfs(dir);
  }
}
