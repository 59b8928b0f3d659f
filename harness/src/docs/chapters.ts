// Which pages run together. A chapter is a sequence of pages run in order on one gateway, whose state
// (entities, rate-limit windows, the page's variables) carries from page to page as it does for a reader.
// A folder's pages are a chapter in Hugo's order (`weight`, then file name; `_index.md` first) and each
// sub-folder is a chapter of its own; pages named one after another on the command line are one chapter.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitFrontMatter } from './front-matter.js';
import { LabkitError } from '../errors/labkit-error.js';

export interface Chapter {
  pages: string[];
}

/** A path on the command line that is neither a page nor a folder (a usage error, exit 2). */
export class MissingPathError extends LabkitError {
  constructor(readonly path: string) {
    super('PAGE_NOT_FOUND', { problem: `${path}: no such file or folder` });
    this.name = 'MissingPathError';
  }
}

export function planChapters(paths: string[]): Chapter[] {
  const chapters: Chapter[] = [];
  let files: string[] = [];
  const flush = (): void => {
    if (files.length > 0) chapters.push({ pages: files });
    files = [];
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new MissingPathError(path);
    if (statSync(path).isDirectory()) {
      flush();
      chapters.push(...folderChapters(path));
    } else {
      files.push(path);
    }
  }
  flush();
  return chapters;
}

export function folderChapters(dir: string): Chapter[] {
  const entries = readdirSync(dir).sort();
  const pages = entries.filter((entry) => entry.endsWith('.md') && !statSync(join(dir, entry)).isDirectory()).map((entry) => join(dir, entry));
  const folders = entries.map((entry) => join(dir, entry)).filter((path) => statSync(path).isDirectory());
  const chapters: Chapter[] = pages.length > 0 ? [{ pages: sortByWeight(pages) }] : [];
  const folderWeight = (folder: string): number => (existsSync(join(folder, '_index.md')) ? weightOf(join(folder, '_index.md')) : Infinity);
  const orderedFolders = folders.map((folder) => ({ folder, weight: folderWeight(folder) })).sort((a, b) => a.weight - b.weight || (a.folder < b.folder ? -1 : 1));
  for (const { folder } of orderedFolders) chapters.push(...folderChapters(folder));
  return chapters;
}

/** Hugo's order: the section's `_index.md` first, then by `weight` (pages without one last), then by name. */
function sortByWeight(pages: string[]): string[] {
  const keyed = pages.map((page) => ({ page, index: page.endsWith('_index.md'), weight: weightOf(page) }));
  keyed.sort((a, b) => Number(b.index) - Number(a.index) || a.weight - b.weight || (a.page < b.page ? -1 : 1));
  return keyed.map((entry) => entry.page);
}

function weightOf(page: string): number {
  try {
    const weight = splitFrontMatter(readFileSync(page, 'utf8').replace(/\r\n/g, '\n'), page).frontMatter.weight;
    return typeof weight === 'number' ? weight : Infinity;
  } catch {
    // The page reports its own front-matter error when it runs.
    return Infinity;
  }
}
