// Finds the lab folders (`NN-slug`, in the page's order) and picks one by number or slug.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shownPath } from '../errors/source-position.js';
import { LabSpecError, UnknownLabError } from './errors.js';
import { readLabFile } from './lab-file.js';
import type { Lab } from './types.js';
import { LABS_DIR } from '../constants.js';

export const DEFAULT_LABS_DIR = LABS_DIR;
export const LAB_FILE_NAME = 'lab.yaml';
const LAB_FOLDER = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** A lab folder whose lab file cannot be used: it blocks only the commands that need that lab. */
export interface BrokenLab {
  id: string;
  number: number;
  slug: string;
  error: LabSpecError;
}

export interface LabScan {
  labs: Lab[];
  broken: BrokenLab[];
}

function readLabFolder(dir: string, entry: string, match: RegExpExecArray): Lab {
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
  return { ...spec, id: entry, number: Number(match[1]), slug: match[2], dir, declarationPath };
}

/** Every lab folder of `labsDir`, ordered by number: the usable labs, and the broken ones with their problems. */
export function scanLabs(labsDir: string = DEFAULT_LABS_DIR): LabScan {
  const labs: Lab[] = [];
  const broken: BrokenLab[] = [];
  for (const entry of readdirSync(labsDir).sort()) {
    const match = LAB_FOLDER.exec(entry);
    const dir = resolve(labsDir, entry);
    if (!match || !statSync(dir).isDirectory()) continue;
    try {
      labs.push(readLabFolder(dir, entry, match));
    } catch (error) {
      if (!(error instanceof LabSpecError)) throw error;
      broken.push({ id: entry, number: Number(match[1]), slug: match[2], error });
    }
  }
  const seen = new Map<number, string>();
  for (const lab of [...labs, ...broken]) {
    const other = seen.get(lab.number);
    if (other) throw new Error(`Two labs share the number ${lab.number}: ${other} and ${lab.id}; renumber one of the folders.`);
    seen.set(lab.number, lab.id);
  }
  return { labs, broken };
}

/** Every lab of `labsDir`, ordered by number. Throws LabSpecError for the first lab file that has problems. */
export function loadLabs(labsDir: string = DEFAULT_LABS_DIR): Lab[] {
  const { labs, broken } = scanLabs(labsDir);
  if (broken.length > 0) throw broken[0].error;
  return labs;
}

function matches(lab: { id: string; number: number; slug: string }, wanted: string): boolean {
  return /^\d+$/.test(wanted) ? lab.number === Number(wanted) : lab.id === wanted || lab.slug === wanted;
}

/** `3`, `03`, `03-consumer1` or `consumer1`. */
export function findLab(labs: Lab[], selector: string): Lab {
  const wanted = selector.trim().toLowerCase();
  const found = labs.find((lab) => matches(lab, wanted));
  if (!found) throw new UnknownLabError(selector, labs);
  return found;
}

/**
 * The one lab a command needs, from `labsDir`: another lab's broken file does not get in the way;
 * its own broken file throws its LabSpecError.
 */
export function loadLab(selector: string, labsDir: string = DEFAULT_LABS_DIR): Lab {
  const { labs, broken } = scanLabs(labsDir);
  const wanted = selector.trim().toLowerCase();
  const unusable = broken.find((lab) => matches(lab, wanted));
  if (unusable) throw unusable.error;
  return findLab(labs, selector);
}

/** Relative to the working directory when inside it, so messages show `labs/03-consumer1/lab.yaml`. */
/** A path as shown to people: relative to the working directory (the repository under npm run) when inside it. */
export function displayPath(path: string): string {
  return shownPath(path, process.cwd());
}
