// ngx.escape_uri and ngx.encode_args as the transformers and proxy-cache use them: the text that
// needs no escape is returned as it is, and everything else is escaped exactly as before.

import { describe, expect, it } from 'vitest';
import { encodeArgs, encodeSortedQuery, escapeArg, type ArgValue } from '../../src/http/ngx-args.js';

/** ngx.escape_uri (component mode) written the long way, for every input. */
const escapedTheLongWay = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe('escapeArg', () => {
  it.each(['', 'plain', 'A-Z_a.z~09', 'a b', "it's (a) *test*!", 'x/y?z=1&w', 'ünï', '%41', '\u{1f600}', 'tab\there'])('escapes %j as ngx.escape_uri does', (text) => {
    expect(escapeArg(text)).toBe(escapedTheLongWay(text));
  });

  it('leaves unreserved characters alone and escapes the rest upper-case', () => {
    expect(escapeArg('A-z._~9')).toBe('A-z._~9');
    expect(escapeArg("a'b(c)d*e!f g")).toBe('a%27b%28c%29d%2Ae%21f%20g');
  });
});

describe('encodeArgs and encodeSortedQuery', () => {
  const args = new Map<string, ArgValue>([
    ['b', 'two words'],
    ['flag', true],
    ['a', ['1', true, 'x/y']],
  ]);

  it('writes a string as name=value, true as a bare name, an array as one piece per value', () => {
    expect(encodeArgs(args)).toBe('b=two%20words&flag&a=1&a&a=x%2Fy');
  });

  it('sorts the pieces for set_query', () => {
    expect(encodeSortedQuery(args)).toBe('a=1&a&a=x%2Fy&b=two%20words&flag');
  });
});
