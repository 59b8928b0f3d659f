// Konnect mode, as decK decides it (a `--konnect-*` flag, or `_konnect` in the file), with the lab
// kit's gateway standing in for the control plane: decK's checks and stdout, one line on stderr.

import { DeclarationError } from '../errors.js';
import type { ParsedDeclaration } from '../parse-declaration.js';
import type { FlagValues } from './flags.js';
import { KONG_ADMIN_PORT } from '../../constants.js';

export const DEFAULT_KONG_ADDR = `http://localhost:${KONG_ADMIN_PORT}`;

const KONNECT_FLAGS = [
  'konnect-token',
  'konnect-token-file',
  'konnect-control-plane-name',
  'konnect-runtime-group-name',
  'konnect-addr',
  'konnect-email',
  'konnect-password',
  'konnect-password-file',
];

/** The control plane decK would talk to, or null outside Konnect mode. */
export function konnectControlPlane(flags: FlagValues, parsed?: ParsedDeclaration): string | null {
  const fromFlag = ((flags['konnect-control-plane-name'] as string | undefined) || (flags['konnect-runtime-group-name'] as string | undefined)) ?? '';
  const konnect = parsed?.document._konnect as Record<string, unknown> | undefined;
  if (konnect !== undefined && konnect !== null && typeof konnect === 'object') {
    const fromFile = String(konnect.control_plane_name ?? konnect.runtime_group_name ?? 'default');
    if (fromFlag !== '' && fromFlag !== fromFile) {
      // decK's own message (it really starts with "warning:", and it is an error).
      throw new DeclarationError(
        parsed!.source,
        `warning: control plane '${fromFlag}' specified via --konnect-[control-plane|runtime-group]-name flag is different from '${fromFile}' found in state file(s)`,
        parsed!.keyPosition('_konnect'),
      );
    }
    return fromFile;
  }
  if (KONNECT_FLAGS.some((flag) => flags[flag] !== undefined)) return fromFlag || 'default';
  return null;
}

export function standInNotice(controlPlane: string, adminUrl: string): string {
  return `deck (lab kit): no Konnect here; the gateway at ${adminUrl} stands in for control plane '${controlPlane}' (the token is not used)\n`;
}
