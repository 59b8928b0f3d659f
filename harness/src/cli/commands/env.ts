// `eval "$(npm run --silent env)"`: the shell follows the workshop page verbatim.

import { EXIT_FAILED, EXIT_NO_ENVIRONMENT, EXIT_OK, type ClassroomIo } from '../../classroom/commands/io.js';
import { statePaths, shownPath } from '../../classroom/paths.js';
import { readRecordForCommand } from '../../classroom/state.js';
import { exportLines } from '../../deck/shell-env.js';
import { AdminApi } from '../../http/index.js';
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

/** The export lines of the recorded environment, when it answers; the exit status. */
async function printShellExports(io: ClassroomIo): Promise<number> {
  const paths = statePaths(io.env);
  const record = readRecordForCommand(paths, io.stderr);
  if (record === 'broken') return EXIT_FAILED;
  if (record === null) {
    io.stderr.write(`No environment is up (nothing recorded in ${shownPath(paths.stateFile)}). Start one with npm run up, then eval "$(npm run --silent env)".\n`);
    return EXIT_NO_ENVIRONMENT;
  }
  const answer = await new AdminApi(record.adminUrl).health();
  if (!answer.reachable) {
    io.stderr.write(
      `The environment recorded in ${shownPath(paths.stateFile)} does not answer at ${record.adminUrl}/status (${answer.problem}). ` +
        'npm run status tells more; npm run down, then npm run up, starts a fresh one.\n',
    );
    return EXIT_NO_ENVIRONMENT;
  }
  io.stdout.write(exportLines(record.proxyUrl, record.adminUrl));
  // Printed to a terminal, the lines did nothing yet: say how to apply them (stderr, so eval never sees it).
  if (io.stdout.isTTY) io.stderr.write('These lines take effect with: eval "$(npm run --silent env)"\n');
  return EXIT_OK;
}
