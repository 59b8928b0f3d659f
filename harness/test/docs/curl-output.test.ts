// Real curl's output read back into answers: -i (one per response, also when a body runs into the next
// status line), 1xx answers dropped, -v's > and < lines from stderr with its * lines ignored, body-only output.
import { describe, expect, it } from 'vitest';
import { readCurlOutput } from '../../src/docs/index.js';

const crlf = (...lines: string[]): string => lines.map((line) => `${line}\r\n`).join('');

describe('readCurlOutput', () => {
  it('reads each -i response of a loop, even when a body has no final newline', () => {
    const stdout =
      crlf('HTTP/1.1 200 OK', 'Content-Type: application/json', 'X-RateLimit-Remaining-Minute: 1', '') +
      '{"ok":true}' +
      crlf('HTTP/1.1 429 Too Many Requests', 'Retry-After: 39', '') +
      '{\n  "message":"API rate limit exceeded"\n}\n';
    const answers = readCurlOutput(stdout, '', { headers: true, body: true });
    expect(answers.map((answer) => answer.statusLine)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 429 Too Many Requests']);
    expect(answers[0].headers).toEqual([['Content-Type', 'application/json'], ['X-RateLimit-Remaining-Minute', '1']]);
    expect(answers[0].body).toBe('{"ok":true}');
    expect(answers[1]).toMatchObject({ status: 429, headers: [['Retry-After', '39']], body: '{\n  "message":"API rate limit exceeded"\n}\n' });
  });

  it('drops a 100 Continue before the real answer, and reads --head without a body', () => {
    const stdout = crlf('HTTP/1.1 100 Continue', '', 'HTTP/1.1 401 Unauthorized', 'WWW-Authenticate: Key', '');
    const [answer, ...rest] = readCurlOutput(stdout, '', { headers: true, body: false });
    expect(rest).toEqual([]);
    expect(answer).toMatchObject({ statusLine: 'HTTP/1.1 401 Unauthorized', status: 401, headers: [['WWW-Authenticate', 'Key']], body: '' });
  });

  it("reads -v's > and < lines from stderr, ignores its * lines, and keeps stdout as the body", () => {
    const stderr = [
      '*   Trying 127.0.0.1:8000...',
      '* Connected to 127.0.0.1 (127.0.0.1) port 8000 (#0)',
      '> GET /a HTTP/1.1',
      '> Host: 127.0.0.1:8000',
      '> User-Agent: curl/7.88.1',
      '> Accept: */*',
      '> ',
      '< HTTP/1.1 401 Unauthorized',
      '< WWW-Authenticate: Key',
      '< ',
      '* Connection #0 to host 127.0.0.1 left intact',
      '',
    ].join('\r\n');
    const [answer] = readCurlOutput('{"message":"No API key found in request"}', stderr, { headers: false, body: true, verbose: true });
    expect(answer.sent).toEqual({ requestLine: 'GET /a HTTP/1.1', headers: [['Host', '127.0.0.1:8000'], ['User-Agent', 'curl/7.88.1'], ['Accept', '*/*']] });
    expect(answer).toMatchObject({ statusLine: 'HTTP/1.1 401 Unauthorized', status: 401, headers: [['WWW-Authenticate', 'Key']], body: '{"message":"No API key found in request"}' });
  });

  it('gives body-only output as one answer without a status', () => {
    expect(readCurlOutput('200\n200\n429\n', '', { headers: false, body: false })).toEqual([
      { statusLine: '', status: 0, headers: [], body: '200\n200\n429\n', sent: { requestLine: '', headers: [] } },
    ]);
  });
});
