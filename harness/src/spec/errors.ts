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

/** The lab asked for on the command line does not exist. */
export class UnknownLabError extends Error {
  readonly selector: string;

  constructor(selector: string, labs: LabListing[]) {
    const lines = labs.map((lab) => `  ${String(lab.number).padStart(2)}  ${lab.id.padEnd(28)} ${lab.title}`);
    super(
      `Unknown lab "${selector}". Give a lab number or slug, one of:\n${lines.join('\n')}\n` +
        'For example: npm run lab 3   or   npm run lab consumer1',
    );
    this.name = 'UnknownLabError';
    this.selector = selector;
  }
}
