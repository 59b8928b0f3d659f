// `npm run status`: the environment of `npm run up` (or of a kept lab) and how it is doing.

import { showStatus } from '../../classroom/commands/status.js';
import { defineCommand } from './command.js';

export const statusCommand = defineCommand({
  name: 'status',
  usage: [
    'Usage: npm run status [-- --json]',
    '',
    'Shows the environment npm run up started: processes or containers, whether the gateway answers,',
    'its configuration hash, which lab is applied, and how many rate-limit counters are in use.',
    'Exit status: 0 all well, 1 something is wrong (the fix is printed), 3 no environment is running.',
    '',
    '  --json      the same as JSON on stdout',
    '  -h, --help  this help',
  ].join('\n'),
  options: { json: { type: 'boolean', default: false } },
  run: ({ values }, io) => showStatus(values.json, io),
});
