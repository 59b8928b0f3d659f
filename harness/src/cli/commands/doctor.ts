// `npm run doctor`: whether this machine can run the labs, one line per finding with its fix.

import { showDoctorChecks } from '../../classroom/commands/doctor.js';
import { defineCommand } from './command.js';

export const doctorCommand = defineCommand({
  name: 'doctor',
  usage: [
    'Usage: npm run doctor',
    '',
    'Checks this machine for the labs: Node.js, npm packages, free ports, Docker (1.5 s probe), images,',
    "Debian's httpbin, the runtime npm run up would choose, the running environment.",
    'Exit status 1 when a line says FAIL.',
    '',
    '  -h, --help  this help',
  ].join('\n'),
  options: {},
  run: (_input, io) => showDoctorChecks(io),
});
