// The page as markdown-it sees it, reduced to what verification needs: code blocks and prose, in page order,
// with the file's line numbers.

import MarkdownIt, { type Token } from 'markdown-it';

export type MarkdownBlock =
  | {
      kind: 'code';
      /** The fence's info string (`hugo-highlight`, `sh`, `` for a bare ``` fence). */
      info: string;
      text: string;
      /** 1-based line of the opening fence. */
      fenceLine: number;
      /** 1-based line of the block's first text line. */
      line: number;
    }
  | { kind: 'prose'; text: string; line: number }
  | { kind: 'heading'; text: string; line: number };

const parser = new MarkdownIt({ html: true });

export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const tokens = parser.parse(markdown, {});
  const blocks: MarkdownBlock[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    const startLine = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'fence') {
      blocks.push({ kind: 'code', info: token.info.trim(), text: token.content, fenceLine: startLine, line: startLine + 1 });
    } else if (token.type === 'code_block') {
      blocks.push({ kind: 'code', info: '', text: token.content, fenceLine: startLine, line: startLine });
    } else if (token.type === 'heading_open' || token.type === 'paragraph_open') {
      const inline = tokens[index + 1];
      const text = inline?.type === 'inline' ? plainText(inline.children ?? []) : '';
      blocks.push({ kind: token.type === 'heading_open' ? 'heading' : 'prose', text, line: startLine });
    }
  }
  return blocks;
}

function plainText(children: Token[]): string {
  return children
    .map((child) => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      return '';
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
