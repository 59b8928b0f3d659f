// Building an image from a context directory, and importing a root filesystem as an image, through
// the Docker API with every line of output passed on. The context is packed with the system `tar`.

import { execa } from 'execa';
import type Dockerode from 'dockerode';
import { readDockerStream } from './docker-streams.js';
import { ImageBuildError } from './errors.js';

/** Each line of output goes to exactly one of the two: show both for the full log. */
export interface BuildOutput {
  /** Milestones ("Step 2/6 : COPY …"), worth a line of progress even when not verbose. */
  onProgress?: (message: string) => void;
  /** The other lines Docker or debootstrap print. */
  onLog?: (line: string) => void;
}

export async function imageExists(dockerode: Dockerode, reference: string): Promise<boolean> {
  try {
    await dockerode.getImage(reference).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

function packDirectory(directory: string, numericOwner: boolean) {
  // --numeric-owner: a root filesystem's uids must stay the image's, not be mapped by name.
  return execa('tar', [...(numericOwner ? ['--numeric-owner'] : []), '-C', directory, '-c', '.'], {
    buffer: { stdout: false, stderr: true },
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
  });
}

async function checkPacked(tar: ReturnType<typeof packDirectory>, what: string): Promise<void> {
  const result = await tar;
  if (result.exitCode !== 0) {
    throw new ImageBuildError(`packing ${what} with tar failed (exit ${result.exitCode}): ${String(result.stderr).trim()}`);
  }
}

export interface BuildImageOptions extends BuildOutput {
  contextDir: string;
  tag: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** Says what to try when the build fails (e.g. another base). */
  hint?: string;
}

/** `docker build` with the legacy builder (no BuildKit offline). Throws ImageBuildError with the build's last lines. */
export async function buildImage(dockerode: Dockerode, options: BuildImageOptions): Promise<void> {
  const tar = packDirectory(options.contextDir, false);
  const response = await dockerode.buildImage(tar.stdout as unknown as NodeJS.ReadableStream, {
    t: options.tag,
    buildargs: options.buildArgs ?? {},
    labels: options.labels ?? {},
    rm: true,
    forcerm: true,
  });
  const outcome = await readDockerStream(response, (line) => {
    if (/^Step \d+\/\d+ : /.test(line)) options.onProgress?.(line);
    else options.onLog?.(line);
  });
  await checkPacked(tar, options.contextDir);
  const hint = options.hint ? ` ${options.hint}` : '';
  if (outcome.error) throw new ImageBuildError(`building ${options.tag} failed: ${outcome.error}.${hint}`, outcome.tail);
  if (!(await imageExists(dockerode, options.tag))) {
    throw new ImageBuildError(`building ${options.tag} ended without an image.${hint}`, outcome.tail);
  }
}

export interface ImportRootfsOptions extends BuildOutput {
  rootfsDir: string;
  /** repository:tag */
  tag: string;
  /** Dockerfile instructions applied on import (ENV, CMD, LABEL…). */
  changes: string[];
}

/** `tar -C rootfs -c . | docker import` through the API. */
export async function importRootfs(dockerode: Dockerode, options: ImportRootfsOptions): Promise<void> {
  const separator = options.tag.lastIndexOf(':');
  const repo = options.tag.slice(0, separator);
  const tag = options.tag.slice(separator + 1);
  const tar = packDirectory(options.rootfsDir, true);
  const response = await dockerode.importImage(tar.stdout as unknown as NodeJS.ReadableStream, {
    repo,
    tag,
    changes: options.changes,
  } as unknown as Record<string, unknown>);
  const outcome = await readDockerStream(response, (line) => options.onLog?.(line));
  await checkPacked(tar, options.rootfsDir);
  if (outcome.error) throw new ImageBuildError(`importing ${options.tag} failed: ${outcome.error}`, outcome.tail);
  if (!(await imageExists(dockerode, options.tag))) {
    throw new ImageBuildError(`importing ${options.tag} ended without an image`, outcome.tail);
  }
}
