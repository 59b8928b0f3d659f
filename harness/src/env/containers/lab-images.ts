// The images an environment runs: our gateway, httpbin and Redis (created with every environment,
// started when asked or on demand, so its image must be there). Each is tagged by what went into it
// (Dockerfile, gateway bundle, base), so a tag never names stale content: when Docker has the tag
// it is reused, otherwise it is built — never pulled.

import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type Dockerode from 'dockerode';
import { BASE_OVERRIDE_VARIABLES, chooseBase, type BaseKind, type BaseStrategy } from './base-images.js';
import { bundleGateway } from './gateway-bundle.js';
import { ImageBuildError } from './errors.js';
import { buildImage, type BuildOutput } from './image-build.js';
import { LABEL_IMAGE } from './labels.js';
import { REPO_ROOT } from '../../constants.js';

const GATEWAY_DOCKERFILE = join(REPO_ROOT, 'gateway/Dockerfile');
const HTTPBIN_CONTEXT = join(REPO_ROOT, 'harness/docker/httpbin/');
const REDIS_CONTEXT = join(REPO_ROOT, 'harness/docker/redis/');
const LABEL_CONTENT = 'dev.kong-labkit.content';
const LABEL_BASE = 'dev.kong-labkit.base';

export type LabImageName = 'gateway' | 'httpbin' | 'redis';

export interface LabImageReport {
  name: LabImageName;
  tag: string;
  /** The base it was built FROM (as its label says, for reused images). */
  base: string;
  built: boolean;
  /** Seconds spent on this image, base included. */
  seconds: number;
}

export interface LabImages {
  gateway: string;
  httpbin: string;
  redis: string;
  reports: LabImageReport[];
}

export interface EnsureLabImagesOptions extends BuildOutput {
  /** auto (default): reuse any image of the same content; else choose a base (see chooseBase). */
  base?: BaseStrategy;
  /** Build even when an image with the same tag exists. */
  rebuild?: boolean;
}

interface ImageRecipe {
  name: LabImageName;
  baseKind: BaseKind;
  /** Build argument that receives the base. */
  baseArg: string;
  /** Fills the context directory; returns the bytes that define the image besides its base. */
  prepare(): Promise<{ contextDir: string; content: Buffer[]; dispose(): Promise<void> }>;
}

/** An image whose context is a directory holding only its Dockerfile. */
function dockerfileOnly(name: LabImageName & BaseKind, baseArg: string, contextDir: string): ImageRecipe {
  return {
    name,
    baseKind: name,
    baseArg,
    async prepare() {
      const content = [await readFile(join(contextDir, 'Dockerfile'))];
      return { contextDir, content, dispose: async () => undefined };
    },
  };
}

const RECIPES: readonly ImageRecipe[] = [
  {
    name: 'gateway',
    baseKind: 'node',
    baseArg: 'NODE_BASE',
    async prepare() {
      const contextDir = await mkdtemp(join(tmpdir(), 'kong-labkit-gateway-'));
      try {
        await bundleGateway(join(contextDir, 'gateway.mjs'));
        await copyFile(GATEWAY_DOCKERFILE, join(contextDir, 'Dockerfile'));
        const content = [await readFile(join(contextDir, 'Dockerfile')), await readFile(join(contextDir, 'gateway.mjs'))];
        return { contextDir, content, dispose: () => rm(contextDir, { recursive: true, force: true }) };
      } catch (err) {
        await rm(contextDir, { recursive: true, force: true });
        throw err;
      }
    },
  },
  dockerfileOnly('httpbin', 'HTTPBIN_BASE', HTTPBIN_CONTEXT),
  dockerfileOnly('redis', 'REDIS_BASE', REDIS_CONTEXT),
];

function sha(parts: (Buffer | string)[], length: number): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, length);
}

/** Any image of ours with this content, whatever its base (the quick path of every start). */
async function findByContent(dockerode: Dockerode, name: LabImageName, contentHash: string): Promise<{ tag: string; base: string } | null> {
  const images = await dockerode.listImages({ filters: JSON.stringify({ label: [`${LABEL_CONTENT}=${contentHash}`] }) });
  for (const image of images.sort((a, b) => b.Created - a.Created)) {
    const tag = (image.RepoTags ?? []).find((t) => t.startsWith(`kong-labkit/${name}:${contentHash}-`));
    if (tag) return { tag, base: image.Labels?.[LABEL_BASE] ?? 'unknown base' };
  }
  return null;
}

async function ensureImage(dockerode: Dockerode, recipe: ImageRecipe, options: EnsureLabImagesOptions): Promise<LabImageReport> {
  const startedAt = performance.now();
  const elapsed = () => Math.round((performance.now() - startedAt) / 100) / 10;
  const strategy = options.base ?? 'auto';
  const prepared = await recipe.prepare();
  try {
    const contentHash = sha(prepared.content, 12);
    const anyBaseWillDo = strategy === 'auto' && !process.env[BASE_OVERRIDE_VARIABLES[recipe.baseKind]] && !options.rebuild;
    if (anyBaseWillDo) {
      const existing = await findByContent(dockerode, recipe.name, contentHash);
      if (existing) return { name: recipe.name, tag: existing.tag, base: existing.base, built: false, seconds: elapsed() };
    }
    const base = await chooseBase(dockerode, recipe.baseKind, strategy, options);
    const tag = `kong-labkit/${recipe.name}:${contentHash}-${sha([base.image], 6)}`;
    if (!options.rebuild) {
      const existing = await findByContent(dockerode, recipe.name, contentHash);
      if (existing?.tag === tag) return { name: recipe.name, tag, base: base.image, built: false, seconds: elapsed() };
    }
    options.onProgress?.(`${recipe.name}: building ${tag} FROM ${base.image} (${base.why})`);
    await buildImage(dockerode, {
      contextDir: prepared.contextDir,
      tag,
      buildArgs: { [recipe.baseArg]: base.image },
      labels: { [LABEL_IMAGE]: recipe.name, [LABEL_CONTENT]: contentHash, [LABEL_BASE]: base.image },
      onProgress: (line) => options.onProgress?.(`${recipe.name}: ${line}`),
      onLog: options.onLog,
      hint:
        `If ${base.image} cannot be fetched here, try the offline base: npm run images -- --base debian ` +
        `(or set ${BASE_OVERRIDE_VARIABLES[recipe.baseKind]} to an image Docker has).`,
    });
    return { name: recipe.name, tag, base: base.image, built: true, seconds: elapsed() };
  } finally {
    await prepared.dispose();
  }
}

/** Makes sure Docker has every image; builds what is missing (all at once). */
export async function ensureLabImages(dockerode: Dockerode, options: EnsureLabImagesOptions = {}): Promise<LabImages> {
  // All run to their end, so a failure of one does not leave another building unwatched.
  const settled = await Promise.allSettled(RECIPES.map((recipe) => ensureImage(dockerode, recipe, options)));
  const failures = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length === 1) throw failures[0].reason;
  if (failures.length > 1) {
    throw new ImageBuildError(failures.map((failure) => (failure.reason as Error).message).join('\n\n'));
  }
  const reports = settled.map((result) => (result as PromiseFulfilledResult<LabImageReport>).value);
  const tag = (name: LabImageName) => reports.find((report) => report.name === name)!.tag;
  return { gateway: tag('gateway'), httpbin: tag('httpbin'), redis: tag('redis'), reports };
}
