// `npm run images`: builds the gateway and httpbin images the container runtime uses. The build's
// progress goes to stderr (every build line, or with --quiet the milestones and a spinner on a
// terminal); the images built, one line each, to stdout.

import { CommandError, UsageError } from '../../errors/command-error.js';
import { EXIT_OK } from '../exit-codes.js';
import { printer } from '../../classroom/commands/io.js';
import { withProgress } from '../../classroom/commands/progress.js';
import type { CommandIo } from '../output.js';
import { defineCommand } from './command.js';

const BASES = ['auto', 'public', 'debian'] as const;

const USAGE = [
  'Usage: npm run images [-- options]',
  '',
  'Builds kong-labkit/gateway, kong-labkit/httpbin and kong-labkit/redis (the',
  'harness also builds them on demand).',
  '',
  '  --base auto|public|debian  auto (default): node:20-slim, kennethreitz/httpbin',
  '                             and redis:7-bookworm when Docker has them or Docker',
  "                             Hub answers, else Debian's packages via debootstrap",
  '                             (root, offline); LABKIT_NODE_BASE, LABKIT_HTTPBIN_BASE',
  '                             and LABKIT_REDIS_BASE name a base outright',
  '  --rebuild                  build even when an image of the same content exists',
  '  --quiet                    milestones only, not every build line',
  '  -h, --help                 this help',
].join('\n');

export const imagesCommand = defineCommand({
  name: 'images',
  usage: USAGE,
  options: {
    base: { type: 'string', default: 'auto' },
    rebuild: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
  async run({ values }, io) {
    if (!(BASES as readonly string[]).includes(values.base)) throw new UsageError(`--base must be one of ${BASES.join(', ')}, not "${values.base}"\n\n${USAGE}`);
    return buildImages({ base: values.base, rebuild: values.rebuild, quiet: values.quiet }, io);
  },
});

async function buildImages(options: { base: string; rebuild: boolean; quiet: boolean }, io: CommandIo): Promise<number> {
  // Loaded here: Docker's client is large, and --help or a usage error need none of it.
  const { buildLabImages } = await import('../../env/containers/index.js');
  // Progress on stderr; with --quiet on a terminal zx's spinner turns between the milestones (as for npm run up).
  const progress = printer({ ...io, stdout: io.stderr });
  const terminal = options.quiet && io.stderr.isTTY === true;
  let images;
  try {
    images = await withProgress(progress, { terminal, title: 'building the lab images…' }, (step) =>
      buildLabImages({
        base: options.base,
        rebuild: options.rebuild,
        onProgress: step,
        onLog: options.quiet ? undefined : (line) => progress.say(`    ${line}`),
      }),
    );
  } catch (error) {
    throw new CommandError(`npm run images failed: ${(error as Error).message}`);
  }
  for (const report of images.reports) {
    const what = report.built ? `built in ${report.seconds.toFixed(1)} s` : 'already built';
    io.stdout.write(`${report.name.padEnd(8)} ${report.tag}  (${what}, FROM ${report.base})\n`);
  }
  return EXIT_OK;
}
