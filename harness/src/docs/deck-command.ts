// Reads `deck gateway sync|diff|apply|reset|ping|dump|validate [flags] [FILE…]` and `deck file validate FILE…`
// (and the older `deck sync` forms): which command, which files (to find them in the page's working folder),
// whether it would stop at a prompt. The kit's deck runs it (builtin-deck.ts); flags that only address Konnect
// or a Kong node are left to it, and the environment decides where it goes.

import { wordSource, wordVariables, type ShellToken } from './shell-words.js';
import type { DeckAction, DeckCommand } from './types.js';
import { LabkitError } from '../errors/labkit-error.js';

export class DeckCommandError extends LabkitError {
  constructor(problem: string) {
    super('PAGE_INVALID', { problem: problem });
    this.name = 'DeckCommandError';
  }
}

/** A decK command the kit's deck does not have (konnect …, file convert …): skipped with this reason. */
export class DeckNotRunError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'DeckNotRunError';
  }
}

/** Flags that say where decK connects or how it prints: the environment replaces them. */
const IGNORED_WITH_VALUE = new Set([
  '--konnect-token', '--konnect-token-file', '--konnect-addr', '--konnect-control-plane-name', '--konnect-runtime-group-name',
  '--konnect-email', '--konnect-password', '--konnect-password-file',
  '--kong-addr', '--headers', '-H', '--parallelism', '--tls-server-name', '--ca-cert', '--ca-cert-file', '--timeout', '-w', '--workspace',
  '--format', '--verbose',
]);
const IGNORED_SWITCHES = new Set([
  '--tls-skip-verify', '--silence-events', '--no-color', '--yes', '--json-output', '--no-mask-deck-env-vars-value', '--non-zero-exit-code', '--with-id', '--skip-defaults',
]);
const GATEWAY_ACTIONS = ['sync', 'diff', 'apply', 'reset', 'ping', 'dump', 'validate'];
const RUNS = "the kit's deck runs gateway sync, diff, apply, reset, ping, dump and validate, and file validate";

/** The action and where its flags start, from the words after `deck`. */
function actionOf(words: string[]): { action: DeckAction; rest: number } {
  const [first, second] = words;
  if (first === 'gateway' && GATEWAY_ACTIONS.includes(second)) return { action: second as DeckAction, rest: 2 };
  if (first === 'file' && second === 'validate') return { action: 'file-validate', rest: 2 };
  // decK 1.x spelled them without `gateway`; `deck validate` was the offline check.
  if (['sync', 'diff', 'reset', 'ping', 'dump'].includes(first)) return { action: first as DeckAction, rest: 1 };
  if (first === 'validate') return { action: 'file-validate', rest: 1 };
  const shown = [first, second].filter((word) => word && !word.startsWith('-')).join(' ');
  throw new DeckNotRunError(`${RUNS}, not "deck ${shown}"`);
}

/** `tokens` are the tokens after `deck`. */
export function parseDeckArguments(tokens: ShellToken[]): DeckCommand {
  const words = tokens.map((token) => {
    if (token.kind === 'operator') throw new DeckCommandError(`the shell operator ${token.text} is not supported after deck; write one command per line`);
    return token.word;
  });
  const argv = words.map(wordSource);
  const { action, rest } = actionOf(argv);
  const command: DeckCommand = { action, argv, files: [], selectTags: [], ignoredFlags: [], konnect: false, force: false };
  const literal = (index: number, option: string): string => {
    const word = words[index];
    if (!word) throw new DeckCommandError(`${option} needs a value`);
    const variables = wordVariables(word);
    if (variables.length > 0) throw new DeckCommandError(`${option} uses $${variables[0]}; write the value itself`);
    return wordSource(word);
  };
  for (let index = rest; index < words.length; index += 1) {
    const text = wordSource(words[index]);
    const [flag, inlineValue] = text.startsWith('--') && text.includes('=') ? [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)] : [text, undefined];
    if (flag.startsWith('--konnect-')) command.konnect = true;
    if (flag === '--select-tag') {
      command.selectTags.push(inlineValue ?? literal(++index, flag));
    } else if (flag === '-s' || flag === '--state' || ((flag === '-o' || flag === '--output-file') && action === 'dump')) {
      const file = inlineValue ?? literal(++index, flag);
      if (file !== '-') command.files.push(file);
    } else if (flag === '-f' || flag === '--force') {
      command.force = true;
    } else if (IGNORED_WITH_VALUE.has(flag)) {
      command.ignoredFlags.push(flag);
      if (inlineValue === undefined) index += 1;
    } else if (IGNORED_SWITCHES.has(flag)) {
      command.ignoredFlags.push(flag);
    } else if (text.startsWith('-')) {
      throw new DeckCommandError(`verify-docs does not know the decK flag ${flag}; it accepts --select-tag, -s/--state, -f/--force, -o, the output flags and the Konnect/Kong address flags`);
    } else {
      command.files.push(literal(index, 'the state file'));
    }
  }
  // Without files decK reads stdin (`-`), which a page's command block cannot show being fed.
  const needsFiles = ['sync', 'diff', 'apply', 'validate', 'file-validate'].includes(action);
  const shown = action === 'file-validate' ? 'deck file validate' : `deck gateway ${action}`;
  if (needsFiles && command.files.length === 0) throw new DeckCommandError(`${shown} names no state file; add the file the page wrote, e.g. key-auth.yaml`);
  if (!needsFiles && action !== 'dump' && command.files.length > 0) throw new DeckCommandError(`${shown} takes no state file (${command.files[0]})`);
  if (command.files.includes('-')) throw new DeckCommandError(`${shown} - reads stdin; name the file the page wrote instead`);
  if (action === 'reset' && !command.force) {
    throw new DeckCommandError("deck gateway reset without -f asks \"Are you sure?\" and waits for an answer; add -f as workshop pages do");
  }
  return command;
}
