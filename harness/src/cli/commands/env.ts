// `eval "$(npm run --silent env)"`: the shell follows the workshop page verbatim.

import { printShellExports } from '../../deck/shell-env.js';
import { defineCommand } from './command.js';

export const envCommand = defineCommand({
  name: 'env',
  usage: [
    'Usage: eval "$(npm run --silent env)"',
    '',
    'Prints export lines for bash/zsh: DATA_PLANE_LB (the proxy of the environment npm run up started),',
    "KONG_ADMIN_URL and DECK_KONG_ADDR (its Admin API), a dummy PAT, and PATH with the kit's bin/ first,",
    "so that the workshop page's commands (deck gateway sync --konnect-token $PAT key-auth.yaml, curl",
    "$DATA_PLANE_LB/…) work when pasted. It replaces npm's own `npm run env` listing.",
    '',
    '  -h, --help  this help',
  ].join('\n'),
  options: {},
  run: (_input, io) => printShellExports(io),
});
