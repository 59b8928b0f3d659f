// Hugo front matter (`---` YAML `---` at the top of a page): read it, and blank it out for the markdown parser
// so that line numbers stay those of the file.

import yaml from 'js-yaml';
import { PageFormatError } from './errors.js';

export interface SplitPage {
  frontMatter: Record<string, unknown>;
  /** The page with the front matter lines replaced by empty lines. */
  body: string;
}

export function splitFrontMatter(text: string, file: string): SplitPage {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { frontMatter: {}, body: text };
  const end = lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---');
  if (end < 0) throw new PageFormatError({ file, line: 1 }, 'the front matter opened with --- is never closed; add a --- line after it');
  let frontMatter: unknown;
  try {
    frontMatter = yaml.load(lines.slice(1, end).join('\n')) ?? {};
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new PageFormatError({ file, line: 2 + (mark?.line ?? 0) }, `the front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof frontMatter !== 'object' || Array.isArray(frontMatter) || frontMatter === null) {
    throw new PageFormatError({ file, line: 2 }, 'the front matter must be a YAML mapping (title: …, weight: …)');
  }
  const blanked = lines.map((line, index) => (index <= end ? '' : line));
  return { frontMatter: frontMatter as Record<string, unknown>, body: blanked.join('\n') };
}
