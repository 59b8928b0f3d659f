// npm run images [-- --base auto|public|debian] [--rebuild] [--quiet]
// Builds the gateway, httpbin and Redis images the container runtime uses, showing the build as it goes.
import { parseArgs } from 'node:util';
import { buildLabImages } from '../harness/src/env/containers/index.js';

const USAGE = [
  'Usage: npm run images [-- options]',
  '',
  'Builds kong-labkit/gateway, kong-labkit/httpbin and kong-labkit/redis (the harness also builds them on demand).',
  '',
  '  --base auto|public|debian  auto (default): node:20-slim, kennethreitz/httpbin and redis:7-bookworm when Docker',
  "                             has them or Docker Hub answers, else Debian's packages via debootstrap (root, offline);",
  '                             LABKIT_NODE_BASE / LABKIT_HTTPBIN_BASE / LABKIT_REDIS_BASE name a base outright',
  '  --rebuild                  build even when an image of the same content exists',
  '  --quiet                    milestones only, not every build line',
  '  -h, --help                 this help',
].join('\n');

let values;
try {
  ({ values } = parseArgs({
    options: {
      base: { type: 'string', default: 'auto' },
      rebuild: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

try {
  const images = await buildLabImages({
    base: values.base,
    rebuild: values.rebuild,
    onProgress: (message) => process.stdout.write(`• ${message}\n`),
    onLog: values.quiet ? undefined : (line) => process.stdout.write(`    ${line}\n`),
  });
  for (const report of images.reports) {
    const what = report.built ? `built in ${report.seconds.toFixed(1)} s` : 'already built';
    process.stdout.write(`${report.name.padEnd(8)} ${report.tag}  (${what}, FROM ${report.base})\n`);
  }
} catch (err) {
  process.stderr.write(`npm run images failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
