// The `deck` command line: decK's commands, flags, output and exit codes (0 done, 1 error, 2 for
// `diff --non-zero-exit-code` with changes), against a DB-less gateway's Admin API.

import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { LabkitError } from '../../errors/labkit-error.js';
import { renderExcerpt } from '../../errors/render.js';
import { colorEnabled, palette, type Palette } from '../../terminal/color.js';
import { AdminClient } from '../admin-client.js';
import { dumpState } from '../dump.js';
import { SyncError } from '../errors.js';
import { maskSecrets } from '../field-diff.js';
import type { ParsedDeclaration } from '../parse-declaration.js';
import { diffDeclaration, resetGateway, syncDeclaration } from '../sync.js';
import { classTarget, type ClassEnvironmentLookup, type HeldEnvironment } from './class-environment.js';
import type { DiffReport, SyncChange } from '../types.js';
import { validateFileOffline, validateFileOnline } from '../validate.js';
import { DeckUsageError, parseFlags, type FlagValues } from './flags.js';
import { DEFAULT_KONG_ADDR, konnectControlPlane, standInNotice } from './konnect.js';
import { readStateFiles } from './state-files.js';
import { COMMAND_FLAGS, DECK_USAGE, GLOBAL_FLAGS } from './usage.js';

export interface DeckIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The environment this deck works on when the caller holds it (its nodes, its Redis); else the class record decides. */
  environment?: HeldEnvironment;
  /** Else: how to find the environment of `npm run up` behind the Admin API (bin/deck's; none: just that gateway). */
  classEnvironment?: ClassEnvironmentLookup;
  /** All of stdin (a state file given as `-`). */
  readStdin(): Promise<string>;
  /** One line of stdin for a prompt; null at end of input. */
  readLine(): Promise<string | null>;
}

export const DECK_VERSION = 'v1.50.0';
export const EXIT_DIFF_FOUND = 2;

interface Context {
  io: DeckIo;
  flags: FlagValues;
  files: string[];
  adminUrl: string;
  headers: Record<string, string>;
  p: Palette;
  /** Said once, when Konnect mode is first known. */
  noticeKonnect(controlPlane: string | null): void;
}

const VALUE_FLAGS = new Set(GLOBAL_FLAGS.filter((flag) => flag.kind !== 'bool').map((flag) => `--${flag.name}`));

function wantsWord(words: string[]): boolean {
  return words.length === 0 || (words.length === 1 && (words[0] === 'gateway' || words[0] === 'file'));
}

/** The command words (`gateway sync`, `file validate`, `ping`), and the flags and arguments around them. */
function splitCommand(argv: string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (!wantsWord(words)) {
      rest.push(...argv.slice(i));
      break;
    }
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      words.push(arg);
      continue;
    }
    rest.push(arg);
    // A global flag's value before the command is not a command word.
    if (VALUE_FLAGS.has(arg) && i + 1 < argv.length) rest.push(argv[++i]);
  }
  return { words, rest };
}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new DeckUsageError(`--headers must be key:value, not "${value}"`);
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

function printChanges(ctx: Context, changes: SyncChange[]): void {
  const color = { creating: ctx.p.green, updating: ctx.p.yellow, deleting: ctx.p.red } as const;
  for (const change of changes) ctx.io.stdout.write(`${color[change.action](change.line)}\n`);
}

function printSummary(ctx: Context, report: DiffReport): void {
  const { created, updated, deleted } = report.summary;
  ctx.io.stdout.write(ctx.p.green(`Summary:\n  Created: ${created}\n  Updated: ${updated}\n  Deleted: ${deleted}\n`));
}

/** decK's JSON report: tab-indented, then an empty line. Secrets stay masked. */
function printJson(ctx: Context, report: DiffReport | null, errors: string[]): void {
  const entries = (action: SyncChange['action']) =>
    (report?.changes ?? [])
      .filter((change) => change.action === action)
      .map((change) => ({ name: change.name, kind: change.kind, body: { new: maskSecrets(change.body.new), old: maskSecrets(change.body.old) } }));
  const summary = report?.summary ?? { created: 0, updated: 0, deleted: 0 };
  const output = {
    changes: { creating: entries('creating'), updating: entries('updating'), deleting: entries('deleting') },
    summary: { creating: summary.created, updating: summary.updated, deleting: summary.deleted, total: summary.created + summary.updated + summary.deleted },
    warnings: [],
    errors,
  };
  ctx.io.stdout.write(`${JSON.stringify(output, null, '\t')}\n\n`);
}

function selectTags(ctx: Context): string[] {
  return (ctx.flags['select-tag'] as string[] | undefined) ?? [];
}

async function stateFiles(ctx: Context, defaultFile: string): Promise<ParsedDeclaration> {
  const state = (ctx.flags.state as string[] | undefined) ?? [];
  const names = [...ctx.files, ...state];
  return readStateFiles(names.length > 0 ? names : [defaultFile], ctx.io.readStdin);
}

async function confirm(ctx: Context, message: string): Promise<boolean> {
  ctx.io.stdout.write(message);
  const answer = await ctx.io.readLine();
  if (answer === null) throw new Error('EOF');
  return ['y', 'yes'].includes(answer.trim().toLowerCase());
}

async function runPing(ctx: Context): Promise<number> {
  const controlPlane = konnectControlPlane(ctx.flags);
  ctx.noticeKonnect(controlPlane);
  const admin = new AdminClient(ctx.adminUrl, 'ping', ctx.headers);
  let version: string;
  try {
    version = await admin.version();
  } catch (err) {
    throw new Error(`reading Kong version: ${(err as Error).message.replace(/^ping: /, '')}`);
  }
  if (controlPlane !== null) ctx.io.stdout.write('Successfully Konnected to the Kong organization!\n');
  else ctx.io.stdout.write(`Successfully connected to Kong!\nKong version:  ${version}\n`);
  return 0;
}

async function runChanges(ctx: Context, mode: 'sync' | 'diff' | 'apply', defaultFile: string): Promise<number> {
  const parsed = await stateFiles(ctx, defaultFile);
  ctx.noticeKonnect(konnectControlPlane(ctx.flags, parsed));
  const scaled = mode === 'diff' ? { replicaAdminUrls: [] } : await classTarget(ctx.adminUrl, ctx.io.env, parsed.document, ctx.io.environment, ctx.io.classEnvironment);
  const options = { adminUrl: ctx.adminUrl, headers: ctx.headers, selectTags: selectTags(ctx), partial: mode === 'apply', resetCounters: false, ...scaled };
  const json = ctx.flags['json-output'] === true;
  let report: DiffReport;
  try {
    report = mode === 'diff' ? await diffDeclaration(parsed, options) : await syncDeclaration(parsed, options);
  } catch (err) {
    if (!json || !(err instanceof SyncError)) throw err;
    printJson(ctx, null, [err.message]);
    return 1;
  }
  if (json) printJson(ctx, report, []);
  else {
    printChanges(ctx, report.changes);
    printSummary(ctx, report);
  }
  const total = report.summary.created + report.summary.updated + report.summary.deleted;
  return mode === 'diff' && ctx.flags['non-zero-exit-code'] === true && total > 0 ? EXIT_DIFF_FOUND : 0;
}

async function runReset(ctx: Context): Promise<number> {
  if (ctx.flags.force !== true && !(await confirm(ctx, "This will delete all configuration from Kong's database.\n> Are you sure? "))) return 0;
  ctx.noticeKonnect(konnectControlPlane(ctx.flags));
  const report = await resetGateway({ adminUrl: ctx.adminUrl, headers: ctx.headers, selectTags: selectTags(ctx), resetCounters: true, ...(await classTarget(ctx.adminUrl, ctx.io.env, undefined, ctx.io.environment, ctx.io.classEnvironment)) });
  if (ctx.flags['json-output'] === true) printJson(ctx, report, []);
  else {
    printChanges(ctx, report.changes);
    printSummary(ctx, report);
  }
  return 0;
}

async function runDump(ctx: Context): Promise<number> {
  const controlPlane = konnectControlPlane(ctx.flags);
  ctx.noticeKonnect(controlPlane);
  const format = ((ctx.flags.format as string | undefined) ?? 'yaml').toLowerCase();
  if (format !== 'yaml' && format !== 'json') throw new DeckUsageError(`invalid value '${String(ctx.flags.format)}' found for the --format flag, allowed values: [yaml json]`);
  let output = (ctx.flags['output-file'] as string | undefined) ?? '-';
  // decK adds the format's extension to a name without one.
  if (output !== '-' && extname(output) === '') output = `${output}.${format}`;
  if (output !== '-' && ctx.flags.yes !== true && existsSync(output)) {
    if (!(await confirm(ctx, `File '${output}' already exists. Do you want to overwrite it? `))) return 0;
  }
  const admin = new AdminClient(ctx.adminUrl, 'dump', ctx.headers);
  const text = await dumpState(await admin.readState(), admin, {
    selectTags: selectTags(ctx),
    withId: ctx.flags['with-id'] === true,
    skipDefaults: ctx.flags['skip-defaults'] === true,
    format,
    controlPlane,
  });
  if (output === '-') ctx.io.stdout.write(text);
  else await writeFile(output, text);
  return 0;
}

async function runValidate(ctx: Context, online: boolean, defaultFile: string): Promise<number> {
  const parsed = await stateFiles(ctx, defaultFile);
  if (!online) {
    validateFileOffline(parsed);
    return 0;
  }
  ctx.noticeKonnect(konnectControlPlane(ctx.flags, parsed));
  await validateFileOnline(parsed, { adminUrl: ctx.adminUrl, headers: ctx.headers });
  return 0;
}

type Runner = (ctx: Context) => Promise<number>;

const GATEWAY_COMMANDS: Record<string, Runner> = {
  ping: runPing,
  sync: (ctx) => runChanges(ctx, 'sync', '-'),
  diff: (ctx) => runChanges(ctx, 'diff', '-'),
  apply: (ctx) => runChanges(ctx, 'apply', '-'),
  reset: runReset,
  dump: runDump,
  validate: (ctx) => runValidate(ctx, true, '-'),
};

/** The commands decK kept at the top level for a while: they read kong.yaml by default and say where they moved. */
const DEPRECATED: Record<string, Runner> = {
  ping: runPing,
  sync: (ctx) => runChanges(ctx, 'sync', 'kong.yaml'),
  diff: (ctx) => runChanges(ctx, 'diff', 'kong.yaml'),
  reset: runReset,
  dump: runDump,
  validate: (ctx) => runValidate(ctx, false, 'kong.yaml'),
};

function resolve(words: string[]): { key: string; run: Runner; deprecated: boolean } | null {
  if (words[0] === 'gateway' && words[1] && GATEWAY_COMMANDS[words[1]]) return { key: words[1], run: GATEWAY_COMMANDS[words[1]], deprecated: false };
  if (words[0] === 'file' && words[1] === 'validate') return { key: 'file validate', run: (ctx) => runValidate(ctx, false, '-'), deprecated: false };
  if (words.length === 1 && DEPRECATED[words[0]]) return { key: words[0], run: DEPRECATED[words[0]], deprecated: true };
  return null;
}

export async function runDeck(argv: string[], io: DeckIo): Promise<number> {
  const { words, rest } = splitCommand(argv);
  if (words.length === 0 || words[0] === 'help' || (words.length === 1 && (words[0] === 'gateway' || words[0] === 'file'))) {
    const asked = words.length === 0 && (rest.includes('--help') || rest.includes('-h'));
    (words.length === 0 && !asked ? io.stderr : io.stdout).write(DECK_USAGE);
    return words.length === 0 && !asked ? 1 : 0;
  }
  if (words[0] === 'version' || (words.length === 0 && rest.includes('--version'))) {
    io.stdout.write(`decK ${DECK_VERSION} (the lab kit's deck, for DB-less gateways)\n`);
    return 0;
  }
  const command = resolve(words);
  if (!command) {
    // cobra's words: the unknown word, for the command it was given to.
    const parent = ['deck', ...words.slice(0, -1)].join(' ');
    io.stderr.write(`Error: unknown command "${words[words.length - 1]}" for "${parent}"\nRun '${parent} --help' for usage.\n`);
    return 1;
  }
  try {
    const { values, positionals } = parseFlags(rest, [...GLOBAL_FLAGS, ...COMMAND_FLAGS[command.key]]);
    if (values.help === true) {
      io.stdout.write(DECK_USAGE);
      return 0;
    }
    if (positionals.length > 0 && ['ping', 'reset', 'dump'].includes(command.key)) {
      throw new DeckUsageError(`unknown command "${positionals[0]}" for "deck ${words.join(' ')}"`);
    }
    const workspace = values.workspace as string | undefined;
    if (workspace !== undefined && workspace !== '' && workspace !== 'default') {
      throw new Error(`workspace '${workspace}' does not exist: this gateway has only the default workspace`);
    }
    if (command.deprecated) {
      io.stderr.write(`Info: 'deck ${command.key}' functionality has moved to 'deck gateway ${command.key}' and will be removed\nin a future MAJOR version of deck. Migration to 'deck gateway ${command.key}' is recommended.\n`);
    }
    const adminUrl = (values['kong-addr'] as string | undefined) ?? (io.env.DECK_KONG_ADDR?.trim() || DEFAULT_KONG_ADDR);
    let noticed = false;
    const ctx: Context = {
      io,
      flags: values,
      files: positionals,
      adminUrl,
      headers: parseHeaders((values.headers as string[] | undefined) ?? []),
      p: palette(values['no-color'] !== true && colorEnabled(io.stdout, io.env)),
      noticeKonnect(controlPlane) {
        if (controlPlane === null || noticed) return;
        noticed = true;
        io.stderr.write(standInNotice(controlPlane, adminUrl));
      },
    };
    return await command.run(ctx);
  } catch (err) {
    // decK's contract first (`Error: …`, exit 1: scripts and pages rely on it), then where in the file.
    const message = (err as Error).message;
    io.stderr.write(`Error: ${message}\n`);
    if (err instanceof DeckUsageError) io.stderr.write(`Run 'deck ${words.join(' ')} --help' for usage.\n`);
    else if (err instanceof LabkitError && err.location) {
      const excerpt = renderExcerpt(err.location, { color: colorEnabled(io.stderr as { isTTY?: boolean }, io.env) });
      if (excerpt.length > 0) io.stderr.write(`${excerpt.join('\n')}\n`);
    }
    return 1;
  }
}
