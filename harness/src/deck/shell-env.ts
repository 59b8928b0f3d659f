// `npm run env`: the `export` lines that make a bash/zsh shell follow the workshop page verbatim
// (`eval "$(npm run --silent env)"`): DATA_PLANE_LB and KONG_ADMIN_URL of the environment `npm run up`
// started, decK's DECK_KONG_ADDR, a dummy PAT for `--konnect-token $PAT`, and the kit's deck first on PATH.

import { fileURLToPath } from 'node:url';
import { probe } from '../env/admin-probe.js';
import { EXIT_FAILED, EXIT_NO_ENVIRONMENT, EXIT_OK, type ClassroomIo } from '../classroom/commands/io.js';
import { statePaths, shownPath } from '../classroom/paths.js';
import { readRecordForCommand } from '../classroom/state.js';

export const KIT_BIN_DIR = fileURLToPath(new URL('../../../bin', import.meta.url));

/** Not a secret: the kit's deck stands in for Konnect and never sends it anywhere. */
export const DUMMY_PAT = 'kpat_labkitOfflineStandInTokenNotASecret000000000';

/** Single-quoted for sh: nothing in it is expanded. */
export function shellQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The other nodes' Admin APIs, for the kit's deck in a shell of a scaled environment that is not the class one. */
export const DECK_REPLICAS_ENV = 'LABKIT_DECK_REPLICAS';

export function exportLines(proxyUrl: string, adminUrl: string, replicaAdminUrls: readonly string[] = []): string {
  return [
    ...(replicaAdminUrls.length > 0 ? [`export ${DECK_REPLICAS_ENV}=${shellQuoted(replicaAdminUrls.join(','))}`] : []),
    `export DATA_PLANE_LB=${shellQuoted(proxyUrl)}`,
    `export KONG_ADMIN_URL=${shellQuoted(adminUrl)}`,
    `export DECK_KONG_ADDR=${shellQuoted(adminUrl)}`,
    `export PAT=${shellQuoted(DUMMY_PAT)}`,
    `export PATH=${shellQuoted(KIT_BIN_DIR)}:"$PATH"`,
    '',
  ].join('\n');
}

/** The export lines of the recorded environment, when it answers; the exit status. */
export async function printShellExports(io: ClassroomIo): Promise<number> {
  const paths = statePaths(io.env);
  const record = readRecordForCommand(paths, io.stderr);
  if (record === 'broken') return EXIT_FAILED;
  if (record === null) {
    io.stderr.write(`No environment is up (nothing recorded in ${shownPath(paths.stateFile)}). Start one with npm run up, then eval "$(npm run --silent env)".\n`);
    return EXIT_NO_ENVIRONMENT;
  }
  const answer = await probe(`${record.adminUrl}/status`);
  if (!answer.ok) {
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
