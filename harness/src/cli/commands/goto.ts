// `npm run goto N`: the gateway in exactly lab N's state, with fresh rate-limit counters.

import { gotoLab } from '../../classroom/commands/reset.js';
import { UsageError } from '../../errors/command-error.js';
import { defineCommand } from './command.js';
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE_LINES } from './target-options.js';

const USAGE = [
  'Usage: npm run goto <number|slug> [-- options]',
  '',
  "Puts the gateway exactly in lab N's state: empty configuration, then the lab's key-auth.yaml,",
  'with every rate-limit counter cleared; prints the curl commands the class can try.',
  '',
  ...TARGET_USAGE_LINES,
].join('\n');

export const gotoCommand = defineCommand({
  name: 'goto',
  usage: USAGE,
  options: TARGET_OPTIONS,
  maxPositionals: 1,
  run: ({ values, positionals }, io) => {
    const target = readTargetFlags(values);
    if (!positionals[0]) throw new UsageError(`Give the lab to go to, by number or slug.\n\n${USAGE}`);
    return gotoLab(positionals[0], target, io);
  },
});
