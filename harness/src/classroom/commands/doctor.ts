// `npm run doctor`: one line per finding, OK / WARN / FAIL, with the fix to apply.

import { parseArgs } from 'node:util';
import { runDoctorChecks, type DoctorCheck, type DoctorOptions } from '../doctor-checks.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, printer, processIo, type ClassroomIo, type Printer } from './io.js';

export const DOCTOR_USAGE = [
  'Usage: npm run doctor',
  '',
  'Checks this machine for the labs: Node.js, npm packages, free ports, Docker (1.5 s probe), images,',
  "Debian's httpbin, the runtime npm run up would choose, the running environment.",
  'Exit status 1 when a line says FAIL.',
].join('\n');

export function formatCheck(check: DoctorCheck, out: Printer): string {
  const colour = check.level === 'OK' ? out.p.green : check.level === 'WARN' ? out.p.yellow : out.p.red;
  return `${colour(check.level.padEnd(4))}  ${check.name}: ${check.detail}${check.fix ? ` — fix: ${check.fix}` : ''}`;
}

export async function runDoctorCommand(argv: string[], io: ClassroomIo = processIo(), options: Omit<DoctorOptions, 'env'> = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${DOCTOR_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout.write(`${DOCTOR_USAGE}\n`);
    return EXIT_OK;
  }
  const out = printer(io);
  const checks = await runDoctorChecks({ ...options, env: io.env });
  for (const check of checks) out.say(formatCheck(check, out));
  return checks.some((check) => check.level === 'FAIL') ? EXIT_FAILED : EXIT_OK;
}
