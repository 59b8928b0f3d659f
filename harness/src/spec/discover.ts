// Finds the lab folders (`NN-slug`, in the page's order) and picks one by number or slug.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabSpecError, UnknownLabError } from './errors.js';
import { readLabFile } from './lab-file.js';
import type { Lab } from './types.js';

export const DEFAULT_LABS_DIR = fileURLToPath(new URL('../../../labs/', import.meta.url));
export const LAB_FILE_NAME = 'lab.yaml';
const LAB_FOLDER = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** Every lab of `labsDir`, ordered by number. Throws LabSpecError for the first lab file that has problems. */
export function loadLabs(labsDir: string = DEFAULT_LABS_DIR): Lab[] {
  const labs: Lab[] = [];
  for (const entry of readdirSync(labsDir).sort()) {
    const match = LAB_FOLDER.exec(entry);
    const dir = resolve(labsDir, entry);
    if (!match || !statSync(dir).isDirectory()) continue;
    const labFile = join(dir, LAB_FILE_NAME);
    const shown = displayPath(labFile);
    if (!existsSync(labFile)) {
      throw new LabSpecError(shown, [{ position: { file: shown, line: 1, column: 1 }, path: '', message: `lab folder ${entry} has no ${LAB_FILE_NAME}` }]);
    }
    const spec = readLabFile(labFile, shown);
    const declarationPath = join(dir, spec.declaration);
    if (!existsSync(declarationPath)) {
      throw new LabSpecError(shown, [{
        position: { file: shown, line: 1, column: 1 },
        path: 'declaration',
        message: `the declaration ${spec.declaration} is not in ${displayPath(dir)}; add it or name the right file in "declaration"`,
      }]);
    }
    labs.push({ ...spec, id: entry, number: Number(match[1]), slug: match[2], dir, declarationPath });
  }
  const seen = new Map<number, string>();
  for (const lab of labs) {
    const other = seen.get(lab.number);
    if (other) throw new Error(`Two labs share the number ${lab.number}: ${other} and ${lab.id}; renumber one of the folders.`);
    seen.set(lab.number, lab.id);
  }
  return labs;
}

/** `3`, `03`, `03-consumer1` or `consumer1`. */
export function findLab(labs: Lab[], selector: string): Lab {
  const wanted = selector.trim().toLowerCase();
  const found = /^\d+$/.test(wanted)
    ? labs.find((lab) => lab.number === Number(wanted))
    : labs.find((lab) => lab.id === wanted || lab.slug === wanted);
  if (!found) throw new UnknownLabError(selector, labs);
  return found;
}

/** Relative to the working directory when inside it, so messages show `labs/03-consumer1/lab.yaml`. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
}
