// A page's decK command, run by the kit's own deck (harness/src/deck) in this process, the way a reader's
// shell would run it after `eval "$(npm run --silent env)"`: against the environment's Admin API, with the
// page's files found in its working folder, stdout and stderr kept apart.

import type { HeldEnvironment } from '../deck/cli/class-environment.js';
import { runDeck } from '../deck/cli/run-deck.js';
import { DUMMY_PAT } from '../deck/shell-env.js';
import type { DeckCommand } from './types.js';

export interface DeckRun {
  /** What decK printed on stdout. */
  stdout: string;
  /** decK's `Error: …` line, when it failed. */
  error?: string;
  /** The gateway refused a plugin it does not run (`plugin 'X' not enabled`). */
  unavailablePlugin?: string;
  notes: string[];
}

export interface DeckTarget {
  adminUrl: string;
  /** A file name as the page's shell resolves it (its working folder); undefined when outside it. */
  resolveFile: (name: string) => string | undefined;
  /** The environment's nodes and Redis: a sync reaches every node and starts the Redis `policy: redis` needs. */
  environment?: HeldEnvironment;
}

/** Flags whose value says where decK goes: the environment decides that, so they are dropped. */
const ADDRESS_FLAGS = new Set(['--kong-addr']);
/** Flags whose value names a file, as the page writes it. */
const FILE_FLAGS = new Set(['-s', '--state', '-o', '--output-file']);

/** The page's words for decK, with its files in the working folder, the environment's address and a dummy token. */
function deckArgv(command: DeckCommand, target: DeckTarget): string[] {
  const files = new Set(command.files);
  const file = (name: string): string => {
    const path = target.resolveFile(name);
    if (!path) throw new Error(`${name} is outside the working directory; name a file the page wrote`);
    return path;
  };
  const argv: string[] = [];
  for (let index = 0; index < command.argv.length; index += 1) {
    const word = command.argv[index].replace(/\$\{?PAT\}?/g, DUMMY_PAT);
    const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (ADDRESS_FLAGS.has(flag)) {
      if (inline === undefined) index += 1;
      continue;
    }
    if (FILE_FLAGS.has(flag)) {
      const value = inline ?? command.argv[++index];
      argv.push(flag, value === '-' ? value : file(value));
      continue;
    }
    argv.push(!word.startsWith('-') && files.has(word) ? file(word) : word);
  }
  return [...argv, '--kong-addr', target.adminUrl];
}

export async function runPageDeck(command: DeckCommand, target: DeckTarget): Promise<DeckRun> {
  const notes = command.ignoredFlags.includes('--kong-addr') ? ['--kong-addr: the environment decides where decK goes'] : [];
  let argv: string[];
  try {
    argv = deckArgv(command, target);
  } catch (error) {
    return { stdout: '', error: `Error: ${(error as Error).message}`, notes };
  }
  let stdout = '';
  let stderr = '';
  const exitCode = await runDeck(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { NO_COLOR: '1' },
    environment: target.environment,
    readStdin: async () => '',
    readLine: async () => null,
  });
  const outcome = deckOutcome(command, stdout, stderr, exitCode);
  return { ...outcome, notes: [...notes, ...outcome.notes] };
}

/** What a decK run means for the page, from what it printed and its exit code (here or in bash). */
export function deckOutcome(command: DeckCommand, stdout: string, stderr: string, exitCode: number): DeckRun {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  // The kit's deck says in one line when it stands in for Konnect; the report keeps it.
  const notes = lines.filter((line) => !line.startsWith('Error: ')).map((line) => line.replace(/^deck \(lab kit\): /, ''));
  const error = lines.find((line) => line.startsWith('Error: '));
  if (exitCode === 0 || (exitCode === 2 && command.action === 'diff')) return { stdout, notes };
  const message = error ?? `Error: deck exited with ${exitCode}`;
  const plugin = /plugin '([^']+)' not enabled/.exec(stderr)?.[1];
  return { stdout, error: message, notes, ...(plugin ? { unavailablePlugin: plugin } : {}) };
}
