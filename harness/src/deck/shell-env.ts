// The `export` lines that make a bash/zsh shell follow the workshop page verbatim (`npm run env`, and
// verify-docs' bash): DATA_PLANE_LB and KONG_ADMIN_URL of an environment, decK's DECK_KONG_ADDR, a dummy
// PAT for `--konnect-token $PAT`, and the kit's deck first on PATH.

import { KIT_BIN_DIR } from '../constants.js';

export { KIT_BIN_DIR };

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
