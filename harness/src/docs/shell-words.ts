// Splits one shell command line into words the way a POSIX shell would (quotes, backslashes, $VARIABLES),
// keeping variable references apart so that they are expanded against the environment at run time.

import type { ShellWord } from './types.js';
import { LabkitError } from '../errors/labkit-error.js';

export type ShellToken = { kind: 'word'; word: ShellWord; quoted: boolean } | { kind: 'operator'; text: string };

export class ShellSyntaxError extends LabkitError {
  constructor(problem: string) {
    super('PAGE_INVALID', { problem: problem });
    this.name = 'ShellSyntaxError';
  }
}

const OPERATORS = ['<<-', '<<', '>>', '&&', '||', '>', '<', '|', ';', '&'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function shellTokens(line: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let parts: ShellWord = [];
  let inWord = false;
  let quoted = false;
  const pushText = (text: string): void => {
    const last = parts[parts.length - 1];
    if (last && 'text' in last) last.text += text;
    else parts.push({ text });
  };
  const endWord = (): void => {
    if (inWord) tokens.push({ kind: 'word', word: parts, quoted });
    parts = [];
    inWord = false;
    quoted = false;
  };
  /** Reads `$NAME` or `${NAME}` at `at` (which points at `$`); returns the index after it. */
  const readVariable = (at: number): number => {
    if (line[at + 1] === '{') {
      const close = line.indexOf('}', at + 2);
      const name = close > 0 ? line.slice(at + 2, close) : '';
      if (!NAME.test(name) || NAME.exec(name)?.[0] !== name) {
        throw new ShellSyntaxError(`unsupported expansion ${line.slice(at, close > 0 ? close + 1 : undefined)}; use $NAME or \${NAME}`);
      }
      parts.push({ variable: name });
      return close + 1;
    }
    const name = NAME.exec(line.slice(at + 1))?.[0];
    if (!name) {
      pushText('$');
      return at + 1;
    }
    parts.push({ variable: name });
    return at + 1 + name.length;
  };

  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (char === ' ' || char === '\t') {
      endWord();
      index += 1;
    } else if (char === '#' && !inWord) {
      break;
    } else if (char === "'") {
      const close = line.indexOf("'", index + 1);
      if (close < 0) throw new ShellSyntaxError('a single quote is never closed');
      pushText(line.slice(index + 1, close));
      inWord = true;
      quoted = true;
      index = close + 1;
    } else if (char === '"') {
      inWord = true;
      quoted = true;
      index += 1;
      while (index < line.length && line[index] !== '"') {
        if (line[index] === '\\' && ['"', '\\', '$', '`'].includes(line[index + 1])) {
          pushText(line[index + 1]);
          index += 2;
        } else if (line[index] === '$') {
          index = readVariable(index);
        } else if (line[index] === '`') {
          throw new ShellSyntaxError('command substitution (`…`) is not supported');
        } else {
          pushText(line[index]);
          index += 1;
        }
      }
      if (index >= line.length) throw new ShellSyntaxError('a double quote is never closed');
      index += 1;
    } else if (char === '\\') {
      if (index + 1 < line.length) pushText(line[index + 1]);
      inWord = true;
      index += 2;
    } else if (char === '$') {
      if (line[index + 1] === '(') throw new ShellSyntaxError('command substitution $(…) is not supported');
      inWord = true;
      index = readVariable(index);
    } else if (char === '`') {
      throw new ShellSyntaxError('command substitution (`…`) is not supported');
    } else {
      const operator = OPERATORS.find((op) => line.startsWith(op, index));
      if (operator) {
        endWord();
        tokens.push({ kind: 'operator', text: operator });
        index += operator.length;
      } else {
        pushText(char);
        inWord = true;
        index += 1;
      }
    }
  }
  endWord();
  return tokens;
}

/** The word's text with variables left as `$NAME` (for messages and for words that must be literal). */
export function wordSource(word: ShellWord): string {
  return word.map((part) => ('text' in part ? part.text : `$${part.variable}`)).join('');
}

export function wordVariables(word: ShellWord): string[] {
  return word.flatMap((part) => ('variable' in part ? [part.variable] : []));
}

/** Expands the word's variables; `lookup` throws or returns the value. */
export function expandWord(word: ShellWord, lookup: (name: string) => string): string {
  return word.map((part) => ('text' in part ? part.text : lookup(part.variable))).join('');
}
