// Hugo's {{<highlight>}} … {{</highlight>}} is not markdown: a markdown parser reads its YAML as lists and
// emphasis. Each pair becomes the fenced code block Hugo renders it as, on the same lines, before parsing.

import { PageFormatError } from './errors.js';

/** The info string given to the fences made from highlight shortcodes. */
export const HIGHLIGHT_INFO = 'hugo-highlight';

const OPEN = /^(\s*)\{\{<\s*highlight(?:\s+([^>]*?))?\s*>\}\}\s*$/;
const CLOSE = /^\s*\{\{<\s*\/highlight\s*>\}\}\s*$/;

export function highlightShortcodesToFences(text: string, file: string): string {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const open = OPEN.exec(lines[index]);
    if (!open) {
      if (CLOSE.test(lines[index])) throw new PageFormatError({ file, line: index + 1 }, '{{</highlight>}} without an opening {{<highlight>}}');
      continue;
    }
    const end = lines.findIndex((line, at) => at > index && CLOSE.test(line));
    const nextOpen = lines.findIndex((line, at) => at > index && OPEN.test(line));
    if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
      throw new PageFormatError({ file, line: index + 1 }, '{{<highlight>}} is never closed; add {{</highlight>}} after the command');
    }
    // A fence longer than any backtick run inside, so the block's own text can't close it.
    const longestRun = Math.max(2, ...lines.slice(index + 1, end).map((line) => /^\s*(`+)/.exec(line)?.[1].length ?? 0));
    const fence = '`'.repeat(longestRun + 1);
    const language = open[2]?.trim().replace(/^"|"$/g, '');
    lines[index] = `${open[1]}${fence}${HIGHLIGHT_INFO}${language ? ` ${language}` : ''}`;
    lines[end] = `${open[1]}${fence}`;
    index = end;
  }
  return lines.join('\n');
}
