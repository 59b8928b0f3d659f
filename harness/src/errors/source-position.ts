// Where in a file something is: the one position type of the kit (lab files, declarations, pages).

import { isAbsolute, relative } from 'node:path';

export interface SourcePosition {
  /** As the error should name it; the renderer shows it relative to the repository. */
  file: string;
  /** 1-based */
  line: number;
  /** 1-based; absent where only the line is known (a page's block). */
  column?: number;
}

/** `file:line:column` (or `file:line`), the form editors and terminals turn into a link. */
export function formatPosition(position: SourcePosition): string {
  return position.column === undefined ? `${position.file}:${position.line}` : `${position.file}:${position.line}:${position.column}`;
}

/** `path` relative to `root` (the repository) when it is inside it; as given otherwise. */
export function shownPath(path: string, root: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(root, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}
