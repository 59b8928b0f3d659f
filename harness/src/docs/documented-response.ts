// An output block as the page shows it: an optional `# curl …` line naming the command, the status line,
// the headers, a blank line and the body.

import { PageFormatError } from './errors.js';
import type { DocumentedResponse } from './types.js';

const STATUS_LINE = /^HTTP\/(\d(?:\.\d)?) (\d{3})(?: (.*))?$/;
const COMMAND_LINE = /^\s*[#$]\s*(curl\s.*)$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

export interface OutputBlock {
  /** `curl …` from a leading `# curl …` line, with its line. */
  command?: { text: string; line: number };
  response: DocumentedResponse;
}

/** Does this untagged block show an HTTP response (optionally after a `# curl` line)? */
export function looksLikeHttpOutput(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const first = lines[0] ?? '';
  const afterCommand = COMMAND_LINE.test(first) ? (lines[1] ?? '') : first;
  return STATUS_LINE.test(afterCommand.trimEnd()) || (COMMAND_LINE.test(first) && afterCommand !== '');
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
  const response: DocumentedResponse = { at, blockLine: firstLine - 1, headers: [] };

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
