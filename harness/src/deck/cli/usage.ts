// `deck --help` and each command's flags, as this kit's deck understands them.

import type { FlagSpec } from './flags.js';
import { DEFAULT_KONG_ADDR } from './konnect.js';

/** decK's persistent flags (root.go); TLS and analytics ones are accepted and have nothing to do here. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'kong-addr', kind: 'string' },
  { name: 'headers', kind: 'slice' },
  { name: 'konnect-token', kind: 'string' },
  { name: 'konnect-token-file', kind: 'string' },
  { name: 'konnect-addr', kind: 'string' },
  { name: 'konnect-control-plane-name', kind: 'string' },
  { name: 'konnect-runtime-group-name', kind: 'string' },
  { name: 'konnect-email', kind: 'string' },
  { name: 'konnect-password', kind: 'string' },
  { name: 'konnect-password-file', kind: 'string' },
  { name: 'config', kind: 'string' },
  { name: 'verbose', kind: 'int' },
  { name: 'no-color', kind: 'bool' },
  { name: 'analytics', kind: 'bool' },
  { name: 'timeout', kind: 'int' },
  { name: 'tls-skip-verify', kind: 'bool' },
  { name: 'tls-server-name', kind: 'string' },
  { name: 'skip-workspace-crud', kind: 'bool' },
  { name: 'help', kind: 'bool', short: 'h' },
];

const WORKSPACE: FlagSpec = { name: 'workspace', kind: 'string', short: 'w' };
const SELECT_TAG: FlagSpec = { name: 'select-tag', kind: 'slice' };
const JSON_OUTPUT: FlagSpec = { name: 'json-output', kind: 'bool' };
const PARALLELISM: FlagSpec = { name: 'parallelism', kind: 'int' };
/** The deprecated top-level commands took their files with -s/--state. */
const STATE: FlagSpec = { name: 'state', kind: 'slice', short: 's' };

export const COMMAND_FLAGS: Record<string, FlagSpec[]> = {
  ping: [WORKSPACE],
  sync: [WORKSPACE, SELECT_TAG, JSON_OUTPUT, PARALLELISM, STATE, { name: 'yes', kind: 'bool' }, { name: 'silence-events', kind: 'bool' }],
  diff: [WORKSPACE, SELECT_TAG, JSON_OUTPUT, PARALLELISM, STATE, { name: 'non-zero-exit-code', kind: 'bool' }, { name: 'silence-events', kind: 'bool' }],
  apply: [WORKSPACE, JSON_OUTPUT, PARALLELISM, STATE],
  reset: [WORKSPACE, SELECT_TAG, JSON_OUTPUT, { name: 'force', kind: 'bool', short: 'f' }],
  dump: [
    WORKSPACE,
    SELECT_TAG,
    { name: 'output-file', kind: 'string', short: 'o' },
    { name: 'format', kind: 'string' },
    { name: 'with-id', kind: 'bool' },
    { name: 'skip-defaults', kind: 'bool' },
    { name: 'yes', kind: 'bool' },
  ],
  validate: [WORKSPACE, PARALLELISM, STATE],
  'file validate': [STATE],
  version: [],
};

export const DECK_USAGE = `deck (the lab kit's decK): manage a DB-less Kong's configuration declaratively.

Usage:
  deck gateway ping                      check that the Admin API answers; print its version
  deck gateway sync [files...]           make the gateway match the files (deletes what they lack, in scope)
  deck gateway diff [files...]           print what sync would change; change nothing
  deck gateway apply [files...]          like sync, but never delete
  deck gateway reset [-f]                delete every entity (only select-tagged ones with --select-tag)
  deck gateway dump [-o file]            write the running configuration in decK's format (default: stdout)
  deck gateway validate [files...]       check the files against the gateway's schemas
  deck file validate [files...]          check the files offline
Files: positional, '-' or none for stdin. Writes go through POST /config (DB-less).

Flags:
  --kong-addr URL            the Admin API (env DECK_KONG_ADDR; default ${DEFAULT_KONG_ADDR})
  --headers key:value        sent with every Admin API request (repeatable)
  --select-tag tag           only entities with all these tags (repeatable; as _info.select_tags)
  --konnect-token, --konnect-token-file, --konnect-control-plane-name, --konnect-addr
                             Konnect mode: the gateway stands in for the control plane (one line on stderr)
  -f, --force                reset without asking
  --non-zero-exit-code       diff: exit 2 when there are changes
  --json-output              sync/diff/apply/reset: decK's JSON report instead of lines
  -o, --output-file FILE     dump: where to write ('-' = stdout)
  --format yaml|json, --with-id, --skip-defaults   dump
`;
