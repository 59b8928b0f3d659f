import type { SourcePosition } from './types.js';

export interface SpecIssue {
  position: SourcePosition;
  /** Where in the document, e.g. `checks[2].request.headers.apikey`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatIssue(issue: SpecIssue): string {
  const where = `${issue.position.file}:${issue.position.line}:${issue.position.column}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** A lab file that cannot be used as written; every issue carries file:line:column. */
export class LabSpecError extends Error {
  readonly file: string;
  readonly issues: SpecIssue[];

  constructor(file: string, issues: SpecIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `${file} has ${count}:\n` +
        issues.map((issue) => `  ${formatIssue(issue)}`).join('\n') +
        '\nFix the lab file; its format is described in labs/README.md (editors can use labs/lab.schema.json).',
    );
    this.name = 'LabSpecError';
    this.file = file;
    this.issues = issues;
  }
}

export interface LabListing {
  number: number;
  id: string;
  title: string;
}

/** Edits (insert, delete, substitute) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The labs whose slug looks like what was typed (a typo, a part of it), closest first. */
export function similarLabs<T extends LabListing>(selector: string, labs: T[]): T[] {
  const wanted = selector.trim().toLowerCase();
  if (!wanted || /^\d+$/.test(wanted)) return [];
  // `3x`, `03-consumr`: a number typed first names its lab, whatever follows.
  const typedNumber = /^(\d+)/.exec(wanted)?.[1];
  const scored = labs.map((lab) => {
    const slug = lab.id.replace(/^\d+-/, '');
    const distance = Math.min(editDistance(wanted, slug), editDistance(wanted, lab.id));
    const contained = slug.includes(wanted) || wanted.includes(slug) || slug.split('-').some((part) => part.length > 3 && wanted.includes(part));
    const numbered = typedNumber !== undefined && Number(typedNumber) === lab.number;
    return { lab, score: numbered ? 0 : contained ? Math.min(distance, 1) : distance };
  });
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return scored.filter((entry) => entry.score <= limit).sort((a, b) => a.score - b.score).slice(0, 3).map((entry) => entry.lab);
}

/** The lab asked for on the command line does not exist. */
export class UnknownLabError extends Error {
  readonly selector: string;

  constructor(selector: string, labs: LabListing[]) {
    const lines = labs.map((lab) => `  ${String(lab.number).padStart(2)}  ${lab.id.padEnd(28)} ${lab.title}`);
    const similar = similarLabs(selector, labs);
    const guess = similar.length > 0 ? `Did you mean ${similar.map((lab) => `${lab.id.replace(/^\d+-/, '')} (npm run lab ${lab.number})`).join(' or ')}?\n` : '';
    super(
      `Unknown lab "${selector}". ${guess}Give a lab number or slug, one of:\n${lines.join('\n')}\n` +
        'For example: npm run lab 3   or   npm run lab consumer1',
    );
    this.name = 'UnknownLabError';
    this.selector = selector;
  }
}
