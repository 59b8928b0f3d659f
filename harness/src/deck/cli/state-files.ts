// decK's state files: positional names (or `-s/--state`), `-` for stdin, several files merged into
// one declaration as decK merges them (entity lists concatenated, decK's own keys from the first
// file that has them, one `_format_version` for all).

import { readDeclarationFile } from '../sync.js';
import { DeclarationError } from '../errors.js';
import { parseDeclaration, type Declaration, type ParsedDeclaration } from '../parse-declaration.js';

export type ReadStdin = () => Promise<string>;

async function readOne(name: string, readStdin: ReadStdin): Promise<ParsedDeclaration> {
  const text = name === '-' ? await readStdin() : await readDeclarationFile(name);
  return parseDeclaration(text, name === '-' ? 'stdin' : name);
}

function merge(files: ParsedDeclaration[]): ParsedDeclaration {
  const document: Declaration = {};
  for (const file of files) {
    for (const [key, value] of Object.entries(file.document)) {
      if (key === '_format_version' && document._format_version !== undefined && document._format_version !== value) {
        throw new DeclarationError(file.source, `_format_version ${JSON.stringify(value)} differs from ${JSON.stringify(document._format_version)} of the files before it; all files must have the same _format_version`, file.keyPosition(key));
      }
      if (Array.isArray(value) && Array.isArray(document[key])) document[key] = [...(document[key] as unknown[]), ...value];
      else if (document[key] === undefined) document[key] = value;
    }
  }
  return {
    source: files.map((file) => file.source).join(' + '),
    document,
    // The entities are those of each file, so each file can say where its own are written.
    positionOf: (node) => firstFound(files, (file) => file.positionOf(node)),
    keyPosition: () => undefined,
    fieldPosition: (node, field) => firstFound(files, (file) => file.fieldPosition(node, field)),
  };
}

function firstFound<T>(files: ParsedDeclaration[], find: (file: ParsedDeclaration) => T | undefined): T | undefined {
  for (const file of files) {
    const found = find(file);
    if (found !== undefined) return found;
  }
  return undefined;
}

export async function readStateFiles(names: string[], readStdin: ReadStdin): Promise<ParsedDeclaration> {
  const files: ParsedDeclaration[] = [];
  for (const name of names) files.push(await readOne(name, readStdin));
  return files.length === 1 ? files[0] : merge(files);
}
