import { LabkitError } from '../errors/labkit-error.js';
import { editDistance } from '../errors/similar.js';
import type { SourcePosition } from './types.js';

export interface SpecIssue {
  position: SourcePosition;
  /** Where in the document, e.g. `checks[2].request.headers.apikey`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatIssue(issue: SpecIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** A lab file that cannot be used as written; every issue carries file:line:column. */
export class LabSpecError extends LabkitError {
  readonly file: string;
  readonly issues: SpecIssue[];

  constructor(file: string, issues: SpecIssue[]) {
    const [first, ...rest] = issues.map((issue) => ({ problem: formatIssue(issue), location: issue.position }));
    super('LAB_FILE_INVALID', { ...(first ?? { problem: 'the lab file cannot be used' }), also: rest });
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
export class UnknownLabError extends LabkitError {
  readonly selector: string;

  constructor(selector: string, labs: LabListing[]) {
    const lines = labs.map((lab) => `  ${String(lab.number).padStart(2)}  ${lab.id.padEnd(28)} ${lab.title}`);
    const similar = similarLabs(selector, labs);
    const guess = similar.length > 0 ? `did you mean ${similar.map((lab) => `${lab.id.replace(/^\d+-/, '')} (npm run lab ${lab.number})`).join(' or ')}? ` : '';
    super('LAB_UNKNOWN', {
      problem: `unknown lab "${selector}"`,
      detail: `The labs:\n${lines.join('\n')}`,
      fix: `${guess}Give a lab number or slug, for example: npm run lab 3   or   npm run lab consumer1`,
    });
    this.name = 'UnknownLabError';
    this.selector = selector;
  }
}
