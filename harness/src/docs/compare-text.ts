// Output compared as text: decK's lines (its change lines as a set, since decK applies in parallel; the rest,
// Summary included, in order and exactly, with Kong's version masked), and other printed text line by line.

import type { Drift } from './compare-response.js';
import type { DocumentedText } from './types.js';

const CHANGE = /^(creating|updating|deleting) /;
/** `Kong version:  3.11.0.2`: the version is the gateway's, not the page's. */
const VERSION_LINE = /^(Kong version:\s+)\S+$/;

interface Line {
  text: string;
  line: number;
}

function documentedLines(documented: DocumentedText): Line[] {
  return documented.text
    .split('\n')
    .map((text, offset) => ({ text: text.trimEnd(), line: documented.firstLine + offset }))
    .filter((line) => line.text.trim() !== '');
}

function masked(text: string): string {
  return text.replace(VERSION_LINE, '$1<version>');
}

export function compareDeckOutput(documented: DocumentedText, stdout: string): Drift[] {
  const file = documented.at.file;
  const shown = documentedLines(documented);
  const printed = stdout.split('\n').map((text) => text.trimEnd()).filter((text) => text.trim() !== '');
  const drifts: Drift[] = [];
  const printedChanges = printed.filter((text) => CHANGE.test(text));
  for (const line of shown.filter((entry) => CHANGE.test(entry.text))) {
    const at = printedChanges.indexOf(line.text);
    if (at >= 0) printedChanges.splice(at, 1);
    else drifts.push({ file, line: line.line, message: `decK: documented "${line.text}", but decK did not print it` });
  }
  for (const text of printedChanges) drifts.push({ file, line: documented.at.line, message: `decK printed a line the page does not show: "${text}"` });
  drifts.push(...compareLines(shown.filter((entry) => !CHANGE.test(entry.text)), printed.filter((text) => !CHANGE.test(text)), documented, 'decK', masked));
  return drifts;
}

/** Printed text (jq -r, a loop's `-w` codes) line by line. */
export function compareTextOutput(documented: DocumentedText, printed: string, what: string): Drift[] {
  return compareLines(documentedLines(documented), printed.split('\n').map((text) => text.trimEnd()).filter((text) => text.trim() !== ''), documented, what, (text) => text);
}

function compareLines(shown: Line[], printed: string[], documented: DocumentedText, what: string, mask: (text: string) => string): Drift[] {
  const file = documented.at.file;
  const drifts: Drift[] = [];
  const count = Math.max(shown.length, printed.length);
  for (let index = 0; index < count; index += 1) {
    const page = shown[index];
    const got = printed[index];
    if (page && got !== undefined && mask(page.text.trim()) === mask(got.trim())) continue;
    if (page && got !== undefined) drifts.push({ file, line: page.line, message: `${what}: documented "${page.text.trim()}", got "${got.trim()}"` });
    else if (page) drifts.push({ file, line: page.line, message: `${what}: documented "${page.text.trim()}", but nothing more was printed` });
    else drifts.push({ file, line: documented.lastLine, message: `${what} printed a line the page does not show: "${got!.trim()}"` });
    // One drift per block for text: the lines after a difference usually differ because of it.
    break;
  }
  return drifts;
}
