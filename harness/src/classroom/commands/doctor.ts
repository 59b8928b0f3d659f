// `npm run doctor`: one line per finding, OK / WARN / FAIL, with the fix to apply.

import { runDoctorChecks, type DoctorCheck, type DoctorOptions } from '../doctor-checks.js';
import { EXIT_FAILED, EXIT_OK, printer, type ClassroomIo, type Printer } from './io.js';

export function formatCheck(check: DoctorCheck, out: Printer): string {
  const colour = check.level === 'OK' ? out.p.green : check.level === 'WARN' ? out.p.yellow : out.p.red;
  return `${colour(check.level.padEnd(4))}  ${check.name}: ${check.detail}${check.fix ? ` — fix: ${check.fix}` : ''}`;
}

/** One line per finding; exit status 1 when one says FAIL. */
export async function showDoctorChecks(io: ClassroomIo, options: Omit<DoctorOptions, 'env'> = {}): Promise<number> {
  const out = printer(io);
  const checks = await runDoctorChecks({ ...options, env: io.env });
  for (const check of checks) out.say(formatCheck(check, out));
  return checks.some((check) => check.level === 'FAIL') ? EXIT_FAILED : EXIT_OK;
}
