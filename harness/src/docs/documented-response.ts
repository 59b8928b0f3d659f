// An output block as the page shows it: an optional `# curl …` line naming the command, the status line,
// the headers, a blank line and the body.

import { PageFormatError } from './errors.js';
import type { DocumentedResponse, DocumentedText } from './types.js';

const STATUS_LINE = /^HTTP\/(\d(?:\.\d)?) (\d{3})(?: (.*))?$/;
const COMMAND_LINE = /^\s*[#$]\s*(curl\s.*)$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

export interface OutputBlock {
  /** `curl …` from a leading `# curl …` line, with its line. */
  command?: { text: string; line: number };
  response: DocumentedResponse;
}

/** Does this untagged block show an HTTP response (optionally after a `# curl` line), plain or as `curl -v` prints it? */
export function looksLikeHttpOutput(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const first = lines[0] ?? '';
  const afterCommand = COMMAND_LINE.test(first) ? (lines[1] ?? '') : first;
  return STATUS_LINE.test(afterCommand.trimEnd()) || (COMMAND_LINE.test(first) && afterCommand !== '') || looksLikeVerboseOutput(text);
}

/** `curl -v`'s shape: `> ` request lines and a `< HTTP/…` status line. */
export function looksLikeVerboseOutput(text: string): boolean {
  const lines = text.split('\n');
  return lines.some((line) => /^> [A-Z]+ \S+ HTTP\//.test(line)) && lines.some((line) => /^< HTTP\/\d/.test(line));
}

/**
 * `curl -v` output: `* ` connection lines (not compared: addresses, TLS, curl's own notes), `> ` request lines,
 * `< ` response lines, and the body, which `* Connection … left intact` may interrupt.
 */
function readVerbose(lines: string[], file: string, firstLine: number): DocumentedResponse {
  const at = { file, line: firstLine };
  let lastLine = firstLine;
  let requestLine: { text: string; line: number } | undefined;
  const requestHeaders: DocumentedResponse['headers'] = [];
  let statusLine: DocumentedResponse['statusLine'];
  const headers: DocumentedResponse['headers'] = [];
  const body: Array<{ text: string; line: number }> = [];
  lines.forEach((raw, offset) => {
    const line = firstLine + offset;
    const text = raw.trimEnd();
    if (text.trim() !== '') lastLine = line;
    if (/^\*/.test(text) || /^[{}] \[[^\]]*\]/.test(text)) return;
    if (text.startsWith('>')) {
      const content = text.slice(1).trim();
      if (content === '') return;
      if (!requestLine) requestLine = { text: content, line };
      else {
        const header = HEADER_LINE.exec(content);
        if (!header) throw new PageFormatError({ file, line }, `"${content}" is not a request header line (> Name: value)`);
        requestHeaders.push({ name: header[1], value: header[2], line });
      }
      return;
    }
    if (text.startsWith('<')) {
      const content = text.slice(1).trim();
      if (content === '') return;
      if (!statusLine) {
        const status = STATUS_LINE.exec(content);
        if (!status) throw new PageFormatError({ file, line }, `"${content}" is not a status line (< HTTP/1.1 200 OK)`);
        statusLine = { text: content, code: Number(status[2]), line };
      } else {
        const header = HEADER_LINE.exec(content);
        if (!header) throw new PageFormatError({ file, line }, `"${content}" is not a response header line (< Name: value)`);
        headers.push({ name: header[1], value: header[2], line });
      }
      return;
    }
    if (statusLine) body.push({ text: raw, line });
  });
  if (!requestLine || !statusLine) throw new PageFormatError(at, 'a curl -v output needs the > request line and the < status line');
  while (body.length > 0 && body[0].text.trim() === '') body.shift();
  while (body.length > 0 && body[body.length - 1].text.trim() === '') body.pop();
  return {
    at: { file, line: statusLine.line },
    blockLine: firstLine - 1,
    statusLine,
    headers,
    body: body.length > 0 ? { text: body.map((part) => part.text).join('\n'), line: body[0].line } : undefined,
    request: { requestLine, headers: requestHeaders },
    firstLine,
    lastLine,
  };
}

/** A block shown as text (decK's output, jq's, a loop's status codes). */
export function textOutput(text: string, file: string, firstLine: number, blockLine: number): DocumentedText {
  const lines = text.replace(/\n$/, '').split('\n');
  let first = 0;
  while (first < lines.length - 1 && lines[first].trim() === '') first += 1;
  let last = lines.length - 1;
  while (last > first && lines[last].trim() === '') last -= 1;
  return { at: { file, line: firstLine + first }, blockLine, text: lines.slice(first, last + 1).join('\n'), firstLine: firstLine + first, lastLine: firstLine + last };
}

/**
 * `firstLine` is the file line of the block's first text line. `bodyOnly`: a block without a status line is
 * the body a preceding `curl URL` (without -i) printed.
 */
export function parseOutputBlock(text: string, file: string, firstLine: number, options: { bodyOnly?: boolean } = {}): OutputBlock {
  const lines = text.replace(/\n$/, '').split('\n').map((line) => line.replace(/\r$/, ''));
  let index = 0;
  while (index < lines.length && lines[index].trim() === '') index += 1;
  let command: OutputBlock['command'];
  const commandMatch = COMMAND_LINE.exec(lines[index] ?? '');
  if (commandMatch) {
    let commandText = commandMatch[1].trim();
    const line = firstLine + index;
    index += 1;
    while (commandText.endsWith('\\') && index < lines.length) {
      commandText = `${commandText.slice(0, -1).trimEnd()} ${lines[index].replace(/^\s*[#$]?\s*/, '').trim()}`;
      index += 1;
    }
    command = { text: commandText, line };
  }
  const at = { file, line: firstLine + index };
  let last = lines.length - 1;
  while (last > index && lines[last].trim() === '') last -= 1;
  const response: DocumentedResponse = { at, blockLine: firstLine - 1, headers: [], firstLine: firstLine + index, lastLine: firstLine + last };
  if (looksLikeVerboseOutput(lines.slice(index).join('\n'))) {
    return { command, response: { ...readVerbose(lines.slice(index), file, firstLine + index), blockLine: firstLine - 1 } };
  }

  if (!STATUS_LINE.test((lines[index] ?? '').trimEnd())) {
    // Without a status line the block shows a body only (what `curl URL` prints without -i); that needs the
    // `# curl` line or a preceding command to say what it belongs to.
    if (!command && !options.bodyOnly) {
      throw new PageFormatError(at, 'this output block has no status line (HTTP/1.1 200 OK); show what curl -i or curl --head prints');
    }
    const bodyText = lines.slice(index).join('\n').trim();
    if (bodyText !== '') response.body = { text: bodyText, line: firstLine + index };
    return { command, response };
  }

  const status = STATUS_LINE.exec(lines[index].trimEnd())!;
  response.statusLine = { text: lines[index].trimEnd(), code: Number(status[2]), line: firstLine + index };
  index += 1;
  for (; index < lines.length && lines[index].trim() !== ''; index += 1) {
    const header = HEADER_LINE.exec(lines[index].trimEnd());
    if (!header) {
      throw new PageFormatError(
        { file, line: firstLine + index },
        `"${lines[index].trim()}" is not a header line (Name: value); end the headers with a blank line before the body`,
      );
    }
    response.headers.push({ name: header[1], value: header[2], line: firstLine + index });
  }
  while (index < lines.length && lines[index].trim() === '') index += 1;
  if (index < lines.length) {
    response.body = { text: lines.slice(index).join('\n').trimEnd(), line: firstLine + index };
  }
  return { command, response };
}
