// `npm run down`: stop what `npm run up` (or a kept lab) started, nothing else.

import { stopEnvironment } from '../../classroom/commands/down.js';
import { defineCommand } from './command.js';

export const downCommand = defineCommand({
  name: 'down',
  usage: [
    'Usage: npm run down',
    '',
    'Stops the environment npm run up started (its recorded processes, or its containers and network)',
    'and forgets it. Nothing else is touched; the logs stay in the state folder until the next npm run up.',
    '',
    '  -h, --help  this help',
  ].join('\n'),
  options: {},
  run: (_input, io) => stopEnvironment(io),
});
