// Reads `deck gateway sync [flags] FILE…`: which files to sync and with which select tags. Flags that
// only address Konnect or a Kong node are accepted and left alone: the environment decides where the sync goes.

import { wordSource, wordVariables, type ShellToken } from './shell-words.js';

export class DeckCommandError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'DeckCommandError';
  }
}

export interface DeckSyncCommand {
  files: string[];
  selectTags: string[];
  ignoredFlags: string[];
}

/** Flags that say where decK connects or how it prints: the environment replaces them. */
const IGNORED_WITH_VALUE = new Set([
  '--konnect-token', '--konnect-token-file', '--konnect-addr', '--konnect-control-plane-name', '--konnect-runtime-group-name',
  '--kong-addr', '--headers', '-H', '--parallelism', '--tls-server-name', '--ca-cert', '--ca-cert-file', '--timeout',
]);
const IGNORED_SWITCHES = new Set(['--tls-skip-verify', '--silence-events', '--no-color', '--yes', '--verbose', '--json-output', '--no-mask-deck-env-vars-value']);

/** `words` are the words after `deck gateway sync` (or the older `deck sync`). */
export function parseDeckSyncArguments(tokens: ShellToken[]): DeckSyncCommand {
  const files: string[] = [];
  const selectTags: string[] = [];
  const ignoredFlags: string[] = [];
  const words = tokens.map((token) => {
    if (token.kind === 'operator') throw new DeckCommandError(`the shell operator ${token.text} is not supported after deck; write one command per line`);
    return token.word;
  });
  const literal = (index: number, option: string): string => {
    const word = words[index];
    if (!word) throw new DeckCommandError(`${option} needs a value`);
    const variables = wordVariables(word);
    if (variables.length > 0) throw new DeckCommandError(`${option} uses $${variables[0]}; write the value itself`);
    return wordSource(word);
  };
  for (let index = 0; index < words.length; index += 1) {
    const text = wordSource(words[index]);
    const [flag, inlineValue] = text.startsWith('--') && text.includes('=') ? [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)] : [text, undefined];
    if (flag === '--select-tag') {
      selectTags.push(inlineValue ?? literal(++index, flag));
    } else if (flag === '-s' || flag === '--state') {
      files.push(inlineValue ?? literal(++index, flag));
    } else if (IGNORED_WITH_VALUE.has(flag)) {
      ignoredFlags.push(flag);
      if (inlineValue === undefined) index += 1;
    } else if (IGNORED_SWITCHES.has(flag)) {
      ignoredFlags.push(flag);
    } else if (text.startsWith('-')) {
      throw new DeckCommandError(`verify-docs does not know the decK flag ${flag}; it accepts --select-tag, -s/--state and the Konnect/Kong address flags`);
    } else {
      files.push(literal(index, 'the state file'));
    }
  }
  if (files.length === 0) throw new DeckCommandError('deck gateway sync names no state file; add the file the page wrote, e.g. key-auth.yaml');
  if (files.includes('-')) throw new DeckCommandError('deck gateway sync - reads stdin; name the file the page wrote instead');
  return { files, selectTags, ignoredFlags };
}
