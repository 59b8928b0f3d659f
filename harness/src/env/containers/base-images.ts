// Which base each lab image is built FROM. Public bases where a registry answers (or where Docker
// already has them); otherwise Debian's packages through debootstrap, offline. Never a fork of the
// Dockerfiles: the base is a build argument.

import type Dockerode from 'dockerode';
import { send } from '../../http/index.js';
import { debootstrapAvailability, ensureRootfsImage, type RootfsRecipe } from './debian-rootfs.js';
import { ImageBuildError } from './errors.js';
import { imageExists, type BuildOutput } from './image-build.js';

export type BaseStrategy = 'auto' | 'public' | 'debian';
export type BaseKind = 'node' | 'httpbin' | 'redis';

export const PUBLIC_BASES: Readonly<Record<BaseKind, string>> = {
  node: 'node:20-slim',
  httpbin: 'kennethreitz/httpbin',
  redis: 'redis:7-bookworm',
};

/** Environment variables naming a base image outright (any reference Docker can use). */
export const BASE_OVERRIDE_VARIABLES: Readonly<Record<BaseKind, string>> = {
  node: 'LABKIT_NODE_BASE',
  httpbin: 'LABKIT_HTTPBIN_BASE',
  redis: 'LABKIT_REDIS_BASE',
};

export const DEBIAN_RECIPES: Readonly<Record<BaseKind, RootfsRecipe>> = {
  // minbase has the glibc, libstdc++ and libgcc the host's node binary links against.
  node: { name: 'debian-node', include: [], hostNode: true, cmd: ['node'] },
  httpbin: {
    name: 'debian-httpbin',
    include: ['python3-httpbin', 'gunicorn', 'python3-gevent'],
    hostNode: false,
    cmd: ['gunicorn', '--bind', '0.0.0.0:8000', '--worker-class', 'gevent', 'httpbin:app'],
  },
  // Debian's package, as the local runtime runs it; harness/docker/redis/Dockerfile sets the command line.
  redis: { name: 'debian-redis', include: ['redis-server'], hostNode: false, cmd: ['redis-server'] },
};

export interface ChosenBase {
  /** The reference to pass as the build argument. */
  image: string;
  /** One phrase for the progress line: why this base. */
  why: string;
}

const REGISTRY_URL = 'https://registry-1.docker.io/v2/';
const REGISTRY_TIMEOUT_MS = 1_500;
let registryAnswer: Promise<boolean> | undefined;

/** Whether Docker Hub answers at all (401 is an answer): cached per process. */
export function registryAnswers(): Promise<boolean> {
  registryAnswer ??= (async () => {
    try {
      const response = await send(REGISTRY_URL, { target: 'Docker Hub', timeouts: { connectMs: REGISTRY_TIMEOUT_MS, totalMs: REGISTRY_TIMEOUT_MS } });
      return response.status === 200 || response.status === 401;
    } catch {
      return false;
    }
  })();
  return registryAnswer;
}

export function parseBaseStrategy(value: string | undefined): BaseStrategy {
  const strategy = value?.trim() || 'auto';
  if (strategy !== 'auto' && strategy !== 'public' && strategy !== 'debian') {
    throw new ImageBuildError(`base strategy must be auto, public or debian, not ${JSON.stringify(strategy)}`);
  }
  return strategy;
}

/**
 * auto: an explicit LABKIT_*_BASE; else the public base when Docker has it or Docker Hub answers
 * (the build then fetches it); else Debian's packages via debootstrap; else an error saying what to do.
 */
export async function chooseBase(
  dockerode: Dockerode,
  kind: BaseKind,
  strategy: BaseStrategy,
  output: BuildOutput = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChosenBase> {
  const override = env[BASE_OVERRIDE_VARIABLES[kind]]?.trim();
  if (override) return { image: override, why: `${BASE_OVERRIDE_VARIABLES[kind]} names it` };
  const publicBase = PUBLIC_BASES[kind];
  if (strategy === 'public') return { image: publicBase, why: 'public base asked for' };
  if (strategy === 'auto') {
    if (await imageExists(dockerode, publicBase)) return { image: publicBase, why: 'public base, already in Docker' };
    if (await registryAnswers()) return { image: publicBase, why: 'public base, Docker Hub answers' };
  }
  const availability = debootstrapAvailability();
  if (!availability.available) {
    throw new ImageBuildError(
      `no base image for ${kind}: ${strategy === 'auto' ? `${publicBase} is not in Docker, Docker Hub does not answer, and ` : ''}` +
        `the offline path cannot run here (${availability.reason}). ` +
        `Do one of: \`docker pull ${publicBase}\` where a registry answers; run \`npm run images\` as root with debootstrap installed; ` +
        `or set ${BASE_OVERRIDE_VARIABLES[kind]} to an image Docker has.`,
    );
  }
  const image = await ensureRootfsImage(dockerode, DEBIAN_RECIPES[kind], output);
  return { image, why: "offline, from Debian's packages" };
}
