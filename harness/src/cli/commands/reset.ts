// `npm run reset [-- N]`: the gateway emptied, every rate-limit counter cleared; with a lab, `goto N`.

import { gotoLab, resetEnvironment } from '../../classroom/commands/reset.js';
import { defineCommand } from './command.js';
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE_LINES } from './target-options.js';

export const resetCommand = defineCommand({
  name: 'reset',
  usage: [
    'Usage: npm run reset [-- N] [-- options]',
    '',
    'Empties the gateway configuration and clears every rate-limit counter (decK: deck gateway reset).',
    'With a lab number or slug, does npm run goto N instead.',
    '',
    ...TARGET_USAGE_LINES,
  ].join('\n'),
  options: TARGET_OPTIONS,
  maxPositionals: 1,
  run: ({ values, positionals }, io) => {
    const target = readTargetFlags(values);
    return positionals[0] ? gotoLab(positionals[0], target, io) : resetEnvironment(target, io);
  },
});
