// Text folded to a terminal's width: words kept whole, continuation lines indented under their first
// line, colour codes not counted as columns.

const ANSI = /\u001b\[[0-9;]*[A-Za-z]|\r/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Paragraphs (blank-line separated) re-flowed to `width` columns. */
export function wrapParagraphs(text: string, width: number): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => foldWords(paragraph.split(/\s+/).filter(Boolean), width, '', '').join('\n'))
    .join('\n\n');
}

/**
 * One line folded at spaces to `width` columns; continuation lines keep the line's own indentation
 * plus `hang`. A line that fits, a word longer than the width, or a `command to type` stays whole.
 */
export function foldLine(line: string, width: number, hang = '  '): string[] {
  if (visibleLength(line) <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  return foldWords(foldableWords(line.slice(indent.length)), width, indent, indent + hang);
}

/**
 * One line of someone else's text (a response header, a body line) folded to `width` columns: at spaces
 * where it can, and a word longer than the line is cut across lines rather than left to overflow.
 * Continuation lines are indented two more than the line. (Text from the wire carries no colour codes.)
 */
export function foldLineHard(line: string, width: number): string[] {
  const hang = `${/^\s*/.exec(line)![0]}  `;
  const lines: string[] = [];
  for (const piece of foldLine(line, width)) {
    let rest = piece;
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = hang + rest.slice(width);
    }
    lines.push(rest);
  }
  return lines;
}

/** `  --junit FILE   also write …`, `  Admin API   http://…`: a term, a gap of two spaces or more, its description. */
export const TERM_ROW = /^(\s+\S.*?)(\s{2,})(\S.*)$/;

/** Words to fold at, a `command to type` kept whole (so that it can be copied). */
export function foldableWords(text: string): string[] {
  return text.match(/`[^`]*`\S*|\S+/g) ?? [];
}

/**
 * A line of a report folded to `width`: a row (`WARN  Docker: …`, `  Logs   …`) continues under its
 * text, any other line two columns in.
 */
export function foldRow(line: string, width: number): string[] {
  if (visibleLength(line) <= width) return [line];
  const row = /^(\s*\S.*?)(\s{2,})(\S.*)$/.exec(line);
  const first = row ? row[1] + row[2] : '';
  // A term that takes half the line leaves its text too little room: the line folds as prose.
  if (!row || visibleLength(first) > width / 2) return foldLine(line, width);
  return foldWords(foldableWords(row[3]), width, first, ' '.repeat(visibleLength(first)));
}

/** `$ deck gateway sync …   (equivalent: POST …)` on one line when it fits, else the note below: the command stays whole. */
export function besideOrBelow(command: string, note: string, width: number): string {
  return visibleLength(command) + 3 + visibleLength(note) <= width ? `${command}   ${note}` : `${command}\n  ${note}`;
}

/** Every line of `text` folded to `width` columns. */
export function foldText(text: string, width: number): string {
  return text.split('\n').flatMap((line) => foldLine(line, width)).join('\n');
}

/**
 * A shell command longer than `width`, folded at its spaces with ` \` continuations, so that what is
 * printed still pastes into a shell (quoted words are never split).
 */
export function foldCommand(command: string, width: number, indent: string, hang = '    '): string[] {
  if (indent.length + visibleLength(command) <= width) return [indent + command];
  const words = shellWords(command);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line === indent) line += word;
    else if (visibleLength(line) + 1 + visibleLength(word) + 2 > width) {
      lines.push(`${line} \\`);
      line = indent + hang + word;
    } else line = `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** A flag whose value follows it (`-H 'apikey: …'`, `--data …`): the two stay on one line. */
const FLAG_WITH_VALUE = /^(-[A-Za-z]|--(?:data[\w-]*|header|request|form|user|url-query))$/;

function shellWords(command: string): string[] {
  // A word is a run of non-spaces and quoted strings (which may hold spaces).
  const words = command.match(/(?:'[^']*'|"(?:\\.|[^"\\])*"|\S)+/g) ?? [command];
  const grouped: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    if (FLAG_WITH_VALUE.test(words[i]) && i + 1 < words.length) {
      grouped.push(`${words[i]} ${words[i + 1]}`);
      i += 1;
    } else {
      grouped.push(words[i]);
    }
  }
  return grouped;
}

export function foldWords(words: string[], width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

/** The renderer's folding (errors/render.ts) for text `width` columns wide: a problem or note continued under `hang`, a detail line by line. */
export function errorFold(width: number): { line(line: string, hang: string): string[]; detail(text: string, indent: number): string } {
  return {
    line: (line, hang) => foldLine(line, width, hang),
    detail: (text, indent) => text.split('\n').flatMap((line) => foldLine(line, width - indent)).join('\n'),
  };
}
