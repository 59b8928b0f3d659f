// A command's usage folded to the terminal's width. Usages are written for 80 columns or more, as
// term/description rows (`  --keep      leave the environment up …`, continued under the description);
// a block that does not fit is re-flowed with its continuation lines under the description column,
// and one that fits stays exactly as written.

import { foldableWords, foldWords, TERM_ROW, visibleLength } from '../report/wrap.js';

const indentOf = (line: string): number => /^ */.exec(line)![0].length;

interface Block {
  lines: string[];
  /** Where the text starts on the first line, and where its continuation lines start. */
  first: string;
  hang: string;
  text: string;
}

function readBlocks(usage: string): Block[] {
  const lines = usage.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    const row = line.trim() ? TERM_ROW.exec(line) : null;
    const column = row ? row[1].length + row[2].length : indentOf(line);
    const block: Block = {
      lines: [line],
      first: row ? row[1] + row[2] : ' '.repeat(column),
      hang: ' '.repeat(column),
      text: row ? row[3] : line.trim(),
    };
    i += 1;
    // Continuation lines start at the text's column; a row of its own is never one of a paragraph's.
    const continues = (next: string) => next.trim() !== '' && indentOf(next) === column && (row !== null || !TERM_ROW.test(next));
    while (line.trim() && i < lines.length && continues(lines[i])) {
      block.lines.push(lines[i]);
      block.text += ` ${lines[i].trim()}`;
      i += 1;
    }
    blocks.push(block);
  }
  return blocks;
}

export function foldUsage(usage: string, width: number): string {
  return readBlocks(usage)
    .flatMap((block) => {
      if (block.lines.every((line) => visibleLength(line) <= width)) return block.lines;
      return foldWords(foldableWords(block.text), width, block.first, block.hang);
    })
    .join('\n');
}
