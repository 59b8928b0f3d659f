// Reads what real curl printed back into answers the comparators take: `-i`/`--head` status lines and headers
// from stdout (one answer per response, so a loop's output gives every iteration), `-v`'s `> ` and `< ` lines
// from stderr (its `* ` lines are curl's notes and are not read), and the body from what follows.

import type { ActualResponse } from './http-exchange.js';
import type { CurlRequest } from './types.js';

const STATUS_LINE = /^HTTP\/[\d.]+ \d{3}\b/;

interface HeaderBlock {
  statusLine: string;
  headers: Array<[string, string]>;
}

function statusCode(statusLine: string): number {
  return Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1] ?? 0);
}

function headerLine(line: string): [string, string] | undefined {
  const colon = line.indexOf(':');
  return colon > 0 ? [line.slice(0, colon), line.slice(colon + 1).trim()] : undefined;
}

/**
 * `-i` output: status line, headers, a blank line, the body, and again for each response (a loop, a redirect).
 * curl ends its header lines with CRLF; a body that ends without a newline runs into the next status line.
 */
function splitHeaderedOutput(stdout: string, withBody: boolean): Array<HeaderBlock & { body: string }> {
  const starts = [...stdout.matchAll(/HTTP\/[\d.]+ \d{3}[^\r\n]*\r?\n/g)]
    .map((match) => match.index!)
    .filter((at) => at === 0 || stdout[at - 1] !== ':');
  const answers: Array<HeaderBlock & { body: string }> = [];
  starts.forEach((start, index) => {
    const text = stdout.slice(start, starts[index + 1] ?? stdout.length);
    const end = /\r?\n\r?\n/.exec(text);
    const head = end ? text.slice(0, end.index) : text;
    const [statusLine, ...headerLines] = head.split(/\r?\n/);
    // 1xx answers (100 Continue) come before the real one, as curl prints them.
    if (statusCode(statusLine) < 200) return;
    const headers = headerLines.map(headerLine).filter((header): header is [string, string] => header !== undefined);
    answers.push({ statusLine, headers, body: withBody && end ? text.slice(end.index + end[0].length) : '' });
  });
  return answers;
}

/** `-v`'s stderr: each `> ` request and `< ` response, in order. */
function verboseExchanges(stderr: string): Array<{ sent: ActualResponse['sent']; received: HeaderBlock }> {
  const exchanges: Array<{ sent: ActualResponse['sent']; received: HeaderBlock }> = [];
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('> ') && /^> [A-Z]+ \S+ HTTP\//.test(line)) {
      exchanges.push({ sent: { requestLine: line.slice(2), headers: [] }, received: { statusLine: '', headers: [] } });
      continue;
    }
    const current = exchanges[exchanges.length - 1];
    if (!current) continue;
    if (line.startsWith('> ')) {
      const header = headerLine(line.slice(2));
      if (header) current.sent.headers.push(header);
    } else if (line.startsWith('< ') && STATUS_LINE.test(line.slice(2))) {
      // A 1xx answer is followed by the real one: keep the last status line and its headers.
      current.received = { statusLine: line.slice(2), headers: [] };
    } else if (line.startsWith('< ')) {
      const header = headerLine(line.slice(2));
      if (header) current.received.headers.push(header);
    }
  }
  return exchanges;
}

const NOTHING_SENT: ActualResponse['sent'] = { requestLine: '', headers: [] };

/**
 * The answers curl printed, in order. A body-only command prints no status: its one answer has status 0 and
 * the whole stdout as its body (the comparators then look at the body only).
 */
export function readCurlOutput(stdout: string, stderr: string, shows: CurlRequest['shows']): ActualResponse[] {
  if (shows.verbose) {
    const exchanges = verboseExchanges(stderr);
    // With -v the bodies are stdout, one after another; a single exchange (the usual page) keeps all of it.
    return exchanges.map((exchange, index) => ({
      statusLine: exchange.received.statusLine,
      status: statusCode(exchange.received.statusLine),
      headers: exchange.received.headers,
      body: index === exchanges.length - 1 && shows.body ? stdout : '',
      sent: exchange.sent,
    }));
  }
  if (shows.headers) {
    return splitHeaderedOutput(stdout, shows.body).map((answer) => ({ ...answer, status: statusCode(answer.statusLine), sent: NOTHING_SENT }));
  }
  return [{ statusLine: '', status: 0, headers: [], body: stdout, sent: NOTHING_SENT }];
}
