import { describe, expect, it } from 'vitest';
import { compilePcre, PcreError } from '../../src/schema/pcre.js';

describe('compilePcre', () => {
  it('accepts Python-style and PCRE named groups', () => {
    const re = compilePcre('/users/(?P<id>\\d+)/(?<tab>\\w+)');
    expect(re.exec('/users/42/profile')?.groups).toEqual({ id: '42', tab: 'profile' });
  });

  it('makes a leading (?i) case-insensitive for letters, escapes and classes', () => {
    const re = compilePcre('(?i)/ABC[d-f][^x]\\x47');
    expect(re.test('/abcEzg')).toBe(true);
    expect(re.test('/AbCdQG')).toBe(true);
    expect(re.test('/abcdXg')).toBe(false);
    expect(compilePcre('(?i)[[:upper:]]+$', { anchored: true }).test('aBc')).toBe(true);
  });

  it('does not anchor unless asked: anchoring is the router job', () => {
    expect(compilePcre('/b').test('/a/b')).toBe(true);
    expect(compilePcre('/b', { anchored: true }).test('/a/b')).toBe(false);
    // Kong prepends ^ unwrapped: only the first branch is anchored.
    expect(compilePcre('/a|/b', { anchored: true }).test('/x/b')).toBe(true);
  });

  it('keeps PCRE syntax, with the meanings of Kong’s router (Rust regex)', () => {
    // "." stops only at \n; "$" is the end of the text, as in Rust's regex crate.
    expect(compilePcre('^a.b$').test('a\rb')).toBe(true);
    expect(compilePcre('^ab$').test('ab\n')).toBe(false);
    expect(compilePcre('(?m)^b$').test('a\nb\nc')).toBe(true);
    expect(compilePcre('\\Aab\\z').test('ab')).toBe(true);
    expect(compilePcre('\\Qa.b\\E').test('axb')).toBe(false);
    expect(compilePcre('[[:digit:]]+').test('123')).toBe(true);
  });

  it('runs on the linear-time engine, so backtracking shapes cannot freeze the process', () => {
    const input = `/${'a'.repeat(64)}!`;
    for (const pattern of ['/(a+)+$', '/(a|a)*$', '/(a*)*b', '/(?:a|aa)+$', '/.*.*.*.*.*.*.*.*x$']) {
      const re = compilePcre(pattern, { anchored: true });
      expect(re.flags, pattern).toContain('l');
      expect(re.exec(input), pattern).toBeNull();
    }
  });

  it('writes out counted repeats beyond what the linear engine takes, with the same meaning', () => {
    const re = compilePcre('^[0-9]{1,64}$');
    expect(re.test('1'.repeat(64))).toBe(true);
    expect(re.test('1'.repeat(65))).toBe(false);
    expect(re.test('')).toBe(false);
    expect(compilePcre('^(?:ab){20,}$').test('ab'.repeat(20))).toBe(true);
    expect(compilePcre('^(?:ab){20,}$').test('ab'.repeat(19))).toBe(false);
    expect(compilePcre('^a{17}$').test('a'.repeat(17))).toBe(true);
    expect(compilePcre('^a{2,30}?').exec('aaaa')?.[0]).toBe('aa');
    expect(compilePcre('^(?:[a-z]{1,63}\\.){1,4}[a-z]{2,}$').test('www.example.com')).toBe(true);
    expect(compilePcre('^(?:[a-z]{1,63}\\.){1,4}[a-z]{2,}$').test(`${'a'.repeat(64)}.com`)).toBe(false);
    expect(compilePcre('^a{16,}$').test('a'.repeat(16))).toBe(true);
    expect(compilePcre('^(a){3}$').exec('aaa')?.[1]).toBe('a');
    expect(() => compilePcre('(a){1,40}')).toThrow(/counted repeat this large of a capturing group/);
    expect(() => compilePcre('[a-z]{1,65535}')).toThrow(/counted repeat this large/);
  });

  it('refuses lookarounds and back references, as Kong’s router does, after PCRE’s own checks', () => {
    for (const pattern of ['/x(?=y)', '/x(?!y)', '(?<=a)b', '(?<!a)b', '(a)\\1', '/x(?P=n)?(?P<n>y)', '(?<n>a)\\k<n>', 'a\\Z']) {
      expect(() => compilePcre(pattern), pattern).toThrow(/route regexes run in linear time/);
    }
    expect(() => compilePcre('(a)\\2')).toThrow('reference to non-existent subpattern');
  });

  it('compiles at once, so a regex too large for V8 is refused here and never on a request', () => {
    // V8 compiles a RegExp on its first use; compilePcre makes that use itself.
    const huge = `/${'(a)'.repeat(13_000)}`;
    let outcome: string;
    try {
      outcome = compilePcre(huge, { anchored: true }).test('/zzz') ? 'match' : 'no match';
    } catch (error) {
      expect(error).toBeInstanceOf(PcreError);
      outcome = 'refused';
    }
    expect(['no match', 'refused']).toContain(outcome);
  });

  it('reports compile errors the way ngx.re does', () => {
    expect(() => compilePcre('/users/(foo/profile')).toThrow(
      new PcreError('pcre2_compile() failed: missing closing parenthesis in "/users/(foo/profile"'),
    );
    expect(() => compilePcre('/a)')).toThrow('pcre2_compile() failed: unmatched closing parenthesis in "/a)" at ")"');
    expect(() => compilePcre('*a')).toThrow('quantifier does not follow a repeatable item');
    expect(() => compilePcre('[z-a]')).toThrow('range out of order in character class');
    expect(() => compilePcre('a{3,1}')).toThrow('numbers out of order in {} quantifier');
    expect(() => compilePcre('[abc')).toThrow('missing terminating ] for character class');
    expect(() => compilePcre('\\y')).toThrow('unrecognized character follows \\');
    expect(() => compilePcre('(a)\\2')).toThrow('reference to non-existent subpattern');
  });

  it('refuses valid PCRE that JavaScript cannot run, saying so', () => {
    expect(() => compilePcre('a++')).toThrow(/not supported by this gateway/);
    expect(() => compilePcre('(?>a)')).toThrow(/not supported by this gateway/);
  });
});
