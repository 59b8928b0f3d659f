import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../src/spec/lab-file.js';
import { prepareRequest } from '../../src/runner/http.js';
import { shellWord, toCurl } from '../../src/report/curl.js';

function curlFor(request: string, proxy = 'http://127.0.0.1:41234'): string {
  const lab = parseLabText(`title: t\nexplanation: e\nchecks:\n  - name: n\n    request: ${request}\n    expect: { status: 200 }\n`, 'lab.yaml');
  return toCurl(prepareRequest(proxy, lab.checks[0].request));
}

describe('toCurl', () => {
  it('writes the page\'s commands with the real URL', () => {
    expect(curlFor('{ path: /key-auth-route/get }')).toBe('curl -i http://127.0.0.1:41234/key-auth-route/get');
    expect(curlFor('{ method: HEAD, path: /key-auth-route/get, headers: { apikey: "123456" } }')).toBe(
      "curl --head http://127.0.0.1:41234/key-auth-route/get -H 'apikey:123456'",
    );
  });

  it('quotes a URL with a query string', () => {
    expect(curlFor('{ path: /key-auth-route/get, query: { apikey: "123456", page: "2" } }')).toBe(
      "curl -i 'http://127.0.0.1:41234/key-auth-route/get?apikey=123456&page=2'",
    );
  });

  it('sends bodies as curl would', () => {
    expect(curlFor('{ path: /key-auth-route/post, body: { form: { apikey: "123456", note: "a b" } } }')).toBe(
      "curl -i http://127.0.0.1:41234/key-auth-route/post -d 'apikey=123456&note=a+b'",
    );
    expect(curlFor('{ path: /key-auth-route/post, body: { json: { apikey: "123456" } } }')).toBe(
      `curl -i http://127.0.0.1:41234/key-auth-route/post -H 'content-type:application/json' -d '{"apikey":"123456"}'`,
    );
    expect(curlFor("{ method: PUT, path: /p, body: { raw: \"it's\" } }")).toBe(
      `curl -i http://127.0.0.1:41234/p -X PUT -H 'content-type:text/plain' -d 'it'\\''s'`,
    );
    expect(curlFor('{ method: DELETE, path: /p }')).toBe('curl -i http://127.0.0.1:41234/p -X DELETE');
  });

  it('shows the headers as sent, curl\'s own defaults apart, and a body that starts with @ as data, not a file', () => {
    expect(curlFor('{ path: /p, headers: { Accept: "application/json", X-Note: "a b" } }')).toBe(
      "curl -i http://127.0.0.1:41234/p -H 'Accept:application/json' -H 'X-Note:a b'",
    );
    expect(curlFor('{ method: POST, path: /p, body: { raw: "@etc/passwd" } }')).toBe(
      "curl -i http://127.0.0.1:41234/p -H 'content-type:text/plain' --data-raw '@etc/passwd'",
    );
  });

  it('never shows credentials that came with the proxy URL', () => {
    expect(curlFor('{ path: /x }', 'http://admin:s3cret@gw.example:8000')).toBe("curl -i 'http://***@gw.example:8000/x'");
  });

  it('keeps a leading shell variable expandable, as the page writes $DATA_PLANE_LB', () => {
    expect(shellWord('$DATA_PLANE_LB/key-auth-route/get')).toBe('$DATA_PLANE_LB/key-auth-route/get');
    expect(shellWord('$DATA_PLANE_LB/get?apikey=1&x="y"')).toBe('"$DATA_PLANE_LB/get?apikey=1&x=\\"y\\""');
    expect(shellWord('/get?a=$HOME')).toBe("'/get?a=$HOME'");
  });
});
