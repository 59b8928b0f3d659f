import { describe, expect, it } from 'vitest';
import { PageFormatError, parsePage } from '../../src/docs/index.js';
import type { RequestStep } from '../../src/docs/index.js';
import { WORKSHOP_PAGE_PRESENT, WORKSHOP_SKIP_REASON, lineOf, workshopText } from './workshop-page.js';

const fence = '```';
const page = (body: string): string => `---\ntitle: "T"\nweight: 3\n---\n${body}`;
const requests = (text: string): RequestStep[] => parsePage(text, 'p.md').steps.filter((step): step is RequestStep => step.kind === 'request');

function formatError(text: string): PageFormatError {
  try {
    parsePage(text, 'p.md');
  } catch (error) {
    if (error instanceof PageFormatError) return error;
    throw error;
  }
  throw new Error('expected a PageFormatError');
}

describe('reading a page', () => {
  it('reads front matter, heredocs inside highlight shortcodes, syncs and curls with their outputs, keeping file lines', () => {
    const text = page(
      [
        'Intro with a [link](https://example.com).', // 5
        '', // 6
        '{{<highlight>}}', // 7
        "cat > key-auth.yaml << 'EOF'", // 8
        '_format_version: "3.0"', // 9
        'services:', // 10
        '- name: s', // 11
        '  host: h', // 12
        'EOF', // 13
        '{{</highlight>}}', // 14
        '', // 15
        '{{<highlight>}}', // 16
        'deck gateway sync --konnect-token $PAT key-auth.yaml', // 17
        '{{</highlight>}}', // 18
        '', // 19
        '{{<highlight>}}', // 20
        'curl -i $DATA_PLANE_LB/r/get', // 21
        '{{</highlight>}}', // 22
        '', // 23
        '**Expected Output**', // 24
        '', // 25
        fence, // 26
        'HTTP/1.1 401 Unauthorized', // 27
        'Date: Mon, 11 Aug 2025 14:44:59 GMT', // 28
        'WWW-Authenticate: Key', // 29
        '', // 30
        '{', // 31
        '  "message":"No API key found in request"', // 32
        '}', // 33
        fence, // 34
      ].join('\n'),
    );
    const parsed = parsePage(text, 'p.md');
    expect(parsed.frontMatter).toEqual({ title: 'T', weight: 3 });
    expect(parsed.steps.map((step) => [step.kind, step.at.line, step.blockLine])).toEqual([
      ['write-file', 8, 7],
      ['deck', 17, 16],
      ['request', 21, 20],
    ]);
    expect(parsed.steps[0]).toMatchObject({ path: 'key-auth.yaml', text: '_format_version: "3.0"\nservices:\n- name: s\n  host: h\n', bodyLine: 9 });
    const request = parsed.steps[2] as RequestStep;
    expect(request.documented).toMatchObject({
      blockLine: 26,
      statusLine: { text: 'HTTP/1.1 401 Unauthorized', code: 401, line: 27 },
      headers: [
        { name: 'Date', value: 'Mon, 11 Aug 2025 14:44:59 GMT', line: 28 },
        { name: 'WWW-Authenticate', value: 'Key', line: 29 },
      ],
      body: { line: 31 },
    });
  });

  it('takes the command from a "# curl" line, and does not run it twice when it repeats the command just shown', () => {
    const block = (command: string) => [fence, `# ${command}`, 'HTTP/1.1 200 OK', fence].join('\n');
    const shown = requests(page(['{{<highlight>}}', 'curl --head $DATA_PLANE_LB/a', '{{</highlight>}}', '', block('curl --head $DATA_PLANE_LB/a')].join('\n')));
    expect(shown).toHaveLength(1);
    expect(shown[0].documented?.statusLine?.line).toBe(11);
    const own = requests(page(['{{<highlight>}}', 'curl --head $DATA_PLANE_LB/a', '{{</highlight>}}', '', block(`curl --head $DATA_PLANE_LB/a -H 'apikey:12'`)].join('\n')));
    expect(own.map((step) => [step.command, step.at.line, step.documented !== undefined])).toEqual([
      ['curl --head $DATA_PLANE_LB/a', 6, false],
      [`curl --head $DATA_PLANE_LB/a -H 'apikey:12'`, 10, true],
    ]);
  });

  it('repeats where prose says to keep sending, and starts fresh windows where the documented Date enters a new minute', () => {
    const output = (date: string) => [fence, 'HTTP/1.1 200 OK', `Date: ${date}`, 'X-RateLimit-Remaining-Minute: 4', fence].join('\n');
    const steps = requests(
      page(
        [
          '{{<highlight>}}', 'curl --head $DATA_PLANE_LB/a', '{{</highlight>}}', output('Mon, 11 Aug 2025 14:49:33 GMT'),
          'If we keep sending requests, eventually we get an error:',
          '{{<highlight>}}', 'curl --head $DATA_PLANE_LB/a', '{{</highlight>}}', output('Mon, 11 Aug 2025 14:49:59 GMT'),
          'The other key still works:',
          '{{<highlight>}}', 'curl --head $DATA_PLANE_LB/b', '{{</highlight>}}', output('Mon, 11 Aug 2025 14:50:01 GMT'),
        ].join('\n'),
      ),
    );
    expect(steps.map((step) => [step.repeat, step.freshWindow])).toEqual([
      [undefined, false],
      ['prose', false],
      [undefined, true],
    ]);
  });

  it('reads a body-only output after curl without -i', () => {
    const [step] = requests(page(['{{<highlight>}}', 'curl $DATA_PLANE_LB/a', '{{</highlight>}}', '', `${fence}json`, '{"message":"x"}', fence].join('\n')));
    expect(step.documented).toMatchObject({ headers: [], body: { text: '{"message":"x"}', line: 10 } });
    expect(step.documented?.statusLine).toBeUndefined();
  });

  it("takes decK's output after a deck command, and ignores prose-only blocks that document nothing", () => {
    const text = page(['{{<highlight>}}', 'deck gateway sync key-auth.yaml', '{{</highlight>}}', '', fence, 'creating consumer consumer1', fence, '', `${fence}yaml`, 'a: 1', fence].join('\n'));
    const steps = parsePage(text, 'p.md').steps;
    expect(steps.map((step) => step.kind)).toEqual(['deck']);
    expect(steps[0]).toMatchObject({ action: 'sync', documented: { blockLine: 9, text: 'creating consumer consumer1', firstLine: 10, lastLine: 10 } });
  });

  it('says where and what when a page cannot be read, and fails (not refuses) a step that cannot run as written', () => {
    expect(formatError(page(['{{<highlight>}}', "cat > k.yaml << 'EOF'", 'a: 1', '{{</highlight>}}'].join('\n'))).message).toMatch(/^p\.md:6: the heredoc is never closed/);
    expect(formatError(page(['{{<highlight>}}', 'curl -i $DATA_PLANE_LB/a'].join('\n'))).message).toMatch(/^p\.md:5: \{\{<highlight>\}\} is never closed/);
    expect(formatError('---\ntitle: [\n---\n').message).toMatch(/^p\.md:\d+: the front matter is not valid YAML/);
    const steps = (body: string[]) => parsePage(page(body.join('\n')), 'p.md').steps;
    const [headers] = steps(['{{<highlight>}}', 'curl $DATA_PLANE_LB/a', '{{</highlight>}}', fence, 'HTTP/1.1 200 OK', fence]);
    expect(headers).toMatchObject({ kind: 'request', formatProblem: { line: 9, message: expect.stringMatching(/the output shows a status line and headers, which "curl \$DATA_PLANE_LB\/a" does not print; add -i/) } });
    expect(steps(['{{<highlight>}}', "cat > k.yaml << EOF", 'a: $X', 'EOF', '{{</highlight>}}'])[0]).toMatchObject({ kind: 'invalid', at: { line: 6 }, problem: expect.stringMatching(/delimiter is not quoted/) });
    expect(steps(['{{<highlight>}}', 'curl -L $DATA_PLANE_LB/a', '{{</highlight>}}'])[0]).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/does not know the curl option -L/) });
  });

  it("points at the option at fault: the unknown curl option's column on the page's line (an indented block included)", () => {
    const steps = (body: string[]) => parsePage(page(body.join('\n')), 'p.md').steps;
    expect(steps(['{{<highlight>}}', 'curl -s -L $DATA_PLANE_LB/-L', '{{</highlight>}}'])[0]).toMatchObject({ kind: 'invalid', word: '-L', at: { line: 6, column: 9 } });
    expect(steps(['1. Send it:', '', '   ```bash', '   curl --location $DATA_PLANE_LB/a', '   ```'])[0]).toMatchObject({ kind: 'invalid', at: { line: 8, column: 9 } });
    // A problem of the whole command keeps the line only.
    expect(steps(['{{<highlight>}}', 'curl -i', '{{</highlight>}}'])[0]).toMatchObject({ kind: 'invalid', problem: 'the curl command has no URL', at: { line: 6 } });
    expect(steps(['{{<highlight>}}', 'curl -i', '{{</highlight>}}'])[0].at.column).toBeUndefined();
  });
});

describe(`the workshop page's story${WORKSHOP_SKIP_REASON}`, () => {
  it.skipIf(!WORKSHOP_PAGE_PRESENT)('is read as 4 declarations, 4 syncs and 9 requests, with the windows and the repeat where the page puts them', () => {
    const text = workshopText();
    const parsed = parsePage(text, 'workshop.txt');
    const count = (kind: string) => parsed.steps.filter((step) => step.kind === kind).length;
    expect([count('write-file'), count('deck'), count('request')]).toEqual([4, 4, 9]);
    const documented = parsed.steps.filter((step): step is RequestStep => step.kind === 'request' && step.documented !== undefined);
    expect(documented.map((step) => step.documented!.statusLine!.text)).toEqual([
      'HTTP/1.1 401 Unauthorized', 'HTTP/1.1 200 OK', 'HTTP/1.1 401 Unauthorized', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 429 Too Many Requests', 'HTTP/1.1 200 OK',
    ]);
    // The wrong key is shown only as "# curl …" inside its output block.
    expect(documented[2].at.line).toBe(lineOf(text, "# curl --head $DATA_PLANE_LB/key-auth-route/get -H 'apikey:12'"));
    // "If we keep sending requests using the first API Key, eventually…": only the 429 repeats.
    expect(documented.map((step) => step.repeat)).toEqual([undefined, undefined, undefined, undefined, undefined, 'prose', undefined]);
    // 14:44 → 14:45 → 14:46 → 14:47 → 14:49 → 14:50 (429) → 14:50 (consumer2 again, same window).
    expect(documented.map((step) => step.freshWindow)).toEqual([false, true, true, true, true, true, false]);
    expect(parsed.windowPeriod).toBe('minute');
  });
});
