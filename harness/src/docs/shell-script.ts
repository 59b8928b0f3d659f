// The commands of a shell code block, in order: heredoc writes, decK syncs and curl requests. Anything else
// is an error, so that a page never silently skips a step a reader would run.

import { parseCurlArguments, CurlCommandError } from './curl-command.js';
import { parseDeckSyncArguments, DeckCommandError } from './deck-command.js';
import { PageFormatError } from './errors.js';
import { ShellSyntaxError, shellTokens, wordSource, wordVariables, type ShellToken } from './shell-words.js';
import type { CurlRequest } from './types.js';

export type ScriptCommand =
  | { kind: 'write-file'; path: string; text: string; line: number; bodyLine: number; command: string }
  | { kind: 'sync'; files: string[]; selectTags: string[]; ignoredFlags: string[]; line: number; command: string }
  | { kind: 'curl'; request: CurlRequest; line: number; command: string };

/** `firstLine` is the file line of the block's first text line. */
export function parseShellScript(text: string, file: string, firstLine: number): ScriptCommand[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const commands: ScriptCommand[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = firstLine + index;
    // A trailing backslash continues the command on the next line.
    let source = lines[index];
    while (/(^|[^\\])\\$/.test(source) && index + 1 < lines.length) {
      index += 1;
      source = `${source.slice(0, -1)} ${lines[index].trim()}`;
    }
    index += 1;
    const trimmed = source.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const at = { file, line };
    let tokens: ShellToken[];
    try {
      tokens = shellTokens(trimmed);
    } catch (error) {
      if (error instanceof ShellSyntaxError) throw new PageFormatError(at, `${error.message} in: ${trimmed}`);
      throw error;
    }
    const heredoc = tokens.findIndex((token) => token.kind === 'operator' && (token.text === '<<' || token.text === '<<-'));
    if (heredoc >= 0) {
      const write = readHeredoc(tokens, heredoc, lines, index, at, trimmed);
      commands.push({ kind: 'write-file', path: write.path, text: write.text, line, bodyLine: firstLine + index, command: trimmed });
      index = write.nextIndex;
      continue;
    }
    const program = tokens[0]?.kind === 'word' ? wordSource(tokens[0].word) : '';
    try {
      if (program === 'curl') {
        commands.push({ kind: 'curl', request: parseCurlArguments(tokens.slice(1)), line, command: trimmed });
      } else if (program === 'deck') {
        const words = tokens.slice(1).map((token) => (token.kind === 'word' ? wordSource(token.word) : token.text));
        const skip = words[0] === 'gateway' && words[1] === 'sync' ? 2 : words[0] === 'sync' ? 1 : -1;
        if (skip < 0) {
          throw new PageFormatError(at, `verify-docs runs only "deck gateway sync"; "${trimmed}" can't be verified (remove it or show it outside a command block)`);
        }
        commands.push({ kind: 'sync', ...parseDeckSyncArguments(tokens.slice(1 + skip)), line, command: trimmed });
      } else {
        throw new PageFormatError(
          at,
          `verify-docs does not know how to run "${trimmed}"; command blocks may hold heredoc writes (cat > FILE << 'EOF'), deck gateway sync and curl`,
        );
      }
    } catch (error) {
      if (error instanceof CurlCommandError || error instanceof DeckCommandError) throw new PageFormatError(at, `${error.message} (in: ${trimmed})`);
      throw error;
    }
  }
  return commands;
}

function readHeredoc(
  tokens: ShellToken[],
  operatorIndex: number,
  lines: string[],
  bodyIndex: number,
  at: { file: string; line: number },
  command: string,
): { path: string; text: string; nextIndex: number } {
  const operator = tokens[operatorIndex] as { kind: 'operator'; text: string };
  const delimiterToken = tokens[operatorIndex + 1];
  if (delimiterToken?.kind !== 'word') throw new PageFormatError(at, `${operator.text} needs a delimiter word, e.g. << 'EOF'`);
  const delimiter = wordSource(delimiterToken.word);
  const rest = [...tokens.slice(0, operatorIndex), ...tokens.slice(operatorIndex + 2)];
  const program = rest[0]?.kind === 'word' ? wordSource(rest[0].word) : '';
  const redirect = rest.findIndex((token) => token.kind === 'operator' && token.text === '>');
  const target = rest[redirect + 1];
  const extra = rest.filter((_, i) => i !== 0 && i !== redirect && i !== redirect + 1);
  if (program !== 'cat' || redirect < 0 || target?.kind !== 'word' || extra.length > 0) {
    throw new PageFormatError(at, `write heredocs as cat > FILE << 'EOF' (verify-docs does not run "${command}")`);
  }
  if (wordVariables(target.word).length > 0) throw new PageFormatError(at, `the heredoc's file name uses a variable; write the name itself`);

  const body: string[] = [];
  let index = bodyIndex;
  for (; index < lines.length; index += 1) {
    const line = operator.text === '<<-' ? lines[index].replace(/^\t+/, '') : lines[index];
    if (line === delimiter) break;
    body.push(line);
  }
  if (index >= lines.length) {
    throw new PageFormatError(at, `the heredoc is never closed: add a line with only ${delimiter} before the end of the block`);
  }
  const text = `${body.join('\n')}\n`;
  if (!delimiterToken.quoted && /[$`\\]/.test(text)) {
    throw new PageFormatError(at, `the heredoc body has $, \` or \\ and its delimiter is not quoted, so a shell would change it; write << '${delimiter}'`);
  }
  return { path: wordSource(target.word), text, nextIndex: index + 1 };
}
