// End to end: pages run on fresh local environments (gateway + httpbin). Our own content/ pages always run;
// the workshop page only where it sits next to the checkout (CI).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, planChapters, verifyDocs, type PageVerdict } from '../../src/docs/index.js';
import { displayPath } from '../../src/spec/index.js';
import { WORKSHOP_PAGE, WORKSHOP_PAGE_PRESENT, WORKSHOP_SKIP_REASON, lineOf, lineStartingWith, mutateLine, workshopText } from './workshop-page.js';
import { errorLine } from '../../src/errors/labkit-error.js';

const E2E_TIMEOUT_MS = 180_000;
const scratch = mkdtempSync(join(tmpdir(), 'verify-docs-test-'));

function openDrifts(verdict: PageVerdict): string[] {
  return verdict.steps.flatMap((step) => step.drifts.filter((drift) => !drift.expectedBecause).map((drift) => `${drift.file}:${drift.line}: ${drift.message}`));
}

function describePage(verdict: PageVerdict): string {
  return [verdict.error ? errorLine(verdict.error) : '', ...openDrifts(verdict)].join('\n');
}

interface Mutation {
  name: string;
  /** The mutated page text, and the file:line and message pattern the one drift must have. */
  apply(text: string): { text: string; line: number; message: RegExp };
}

async function expectEachMutationFailsAlone(source: string, mutations: Mutation[]): Promise<void> {
  const text = readFileSync(source, 'utf8');
  const cases = mutations.map((mutation, index) => {
    const mutated = mutation.apply(text);
    const path = join(scratch, `${index}-${mutation.name.replace(/\W+/g, '-')}.md`);
    writeFileSync(path, mutated.text);
    return { mutation, path, ...mutated };
  });
  // Each copy on its own gateway: they are variants of one page, not a chapter.
  const verdicts = await verifyDocs(cases.map((entry) => entry.path), { isolate: true });
  cases.forEach((entry, index) => {
    const drifts = openDrifts(verdicts[index]);
    expect(verdicts[index].passed, `${entry.mutation.name} should fail`).toBe(false);
    expect(drifts, `${entry.mutation.name}: exactly one drift`).toHaveLength(1);
    const [location, ...rest] = drifts[0].split(': ');
    expect(location, entry.mutation.name).toBe(`${displayPath(entry.path)}:${entry.line}`);
    expect(rest.join(': '), entry.mutation.name).toMatch(entry.message);
  });
}

describe('our content/ pages', () => {
  it('all pass, chapter by chapter, each chapter from an empty gateway', { timeout: E2E_TIMEOUT_MS }, async () => {
    const verdicts = await verifyDocs(planChapters([CONTENT_DIR]));
    for (const verdict of verdicts) {
      // A section's _index.md has no commands: skipped, and said so.
      if (verdict.file.endsWith('_index.md')) expect(verdict.status).toBe('skipped');
      else expect(verdict.status, describePage(verdict)).toBe('passed');
    }
    const steps = verdicts.flatMap((verdict) => verdict.steps);
    expect(steps.filter((step) => step.step.kind === 'request' && step.step.documented).length).toBeGreaterThan(20);
    // The rate-limit page repeats until 429, as its prose says (5 tries, more if a loaded machine let the minute roll over mid-page).
    expect(steps.flatMap((step) => step.notes).some((note) => /^sent ([5-9]|\d{2,}) times until 429 showed/.test(note))).toBe(true);
  });

  it('fail when a copy drifts, each at the documented line', { timeout: E2E_TIMEOUT_MS }, async () => {
    const source = join(CONTENT_DIR, 'api-key-authentication', '05-rate-limits.md');
    const last429 = (text: string): number => {
      const lines = text.split('\n');
      return lines.lastIndexOf('HTTP/1.1 429 Too Many Requests') + 1;
    };
    await expectEachMutationFailsAlone(source, [
      {
        name: 'changed status',
        apply: (text) => ({ text: mutateLine(text, last429(text), 'HTTP/1.1 403 Forbidden'), line: last429(text), message: /^status line: documented "HTTP\/1\.1 403 Forbidden", got "HTTP\/1\.1 429 Too Many Requests"$/ }),
      },
      {
        name: 'changed header value',
        apply: (text) => {
          const line = lineOf(text, 'Content-Length: 92', last429(text));
          return { text: mutateLine(text, line, 'Content-Length: 93'), line, message: /^Content-Length: documented "93", got "92"$/ };
        },
      },
      {
        name: 'removed header',
        apply: (text) => {
          const status = last429(text);
          return { text: mutateLine(text, lineStartingWith(text, 'Retry-After:', status), null), line: status, message: /^the response has a header the page does not show: Retry-After: \d+$/ };
        },
      },
      {
        name: 'changed rate-limit number',
        apply: (text) => {
          const line = lineOf(text, 'X-RateLimit-Remaining-Minute: 7');
          return { text: mutateLine(text, line, 'X-RateLimit-Remaining-Minute: 6'), line, message: /^X-RateLimit-Remaining-Minute: documented "6", got "7"$/ };
        },
      },
    ]);
  });
});

describe(`the workshop page${WORKSHOP_SKIP_REASON}`, () => {
  it.skipIf(!WORKSHOP_PAGE_PRESENT)('passes unchanged', { timeout: E2E_TIMEOUT_MS }, async () => {
    const [verdict] = await verifyDocs([WORKSHOP_PAGE]);
    expect(verdict.passed, describePage(verdict)).toBe(true);
    expect(verdict.steps).toHaveLength(17);
    const repeat = verdict.steps.find((step) => step.notes.some((note) => note.startsWith('sent ')));
    expect(repeat?.notes).toContain('sent 6 times until 429 showed, as the page says');
  });

  it.skipIf(!WORKSHOP_PAGE_PRESENT)('fails on mutated copies, each with the right file:line', { timeout: E2E_TIMEOUT_MS }, async () => {
    const text = WORKSHOP_PAGE_PRESENT ? workshopText() : '';
    const status401 = WORKSHOP_PAGE_PRESENT ? lineOf(text, 'HTTP/1.1 401 Unauthorized') : 0;
    await expectEachMutationFailsAlone(WORKSHOP_PAGE, [
      {
        name: 'changed status',
        apply: (page) => ({ text: mutateLine(page, status401, 'HTTP/1.1 403 Forbidden'), line: status401, message: /^status line: documented "HTTP\/1\.1 403 Forbidden", got "HTTP\/1\.1 401 Unauthorized"$/ }),
      },
      {
        name: 'changed header value',
        apply: (page) => {
          const line = lineOf(page, 'WWW-Authenticate: Key', status401);
          return { text: mutateLine(page, line, 'WWW-Authenticate: Basic'), line, message: /^WWW-Authenticate: documented "Basic", got "Key"$/ };
        },
      },
      {
        name: 'removed header',
        apply: (page) => {
          const status429 = lineOf(page, 'HTTP/1.1 429 Too Many Requests');
          return { text: mutateLine(page, lineOf(page, 'Retry-After: 39', status429), null), line: status429, message: /^the response has a header the page does not show: Retry-After: \d+$/ };
        },
      },
      {
        name: 'changed rate-limit number',
        apply: (page) => {
          const line = lineOf(page, 'X-RateLimit-Remaining-Minute: 4');
          return { text: mutateLine(page, line, 'X-RateLimit-Remaining-Minute: 3'), line, message: /^X-RateLimit-Remaining-Minute: documented "3", got "4"$/ };
        },
      },
    ]);
  });
});
