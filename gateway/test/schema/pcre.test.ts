import { describe, expect, it } from 'vitest';
import { compilePcre, PcreError } from '../../src/schema/pcre.js';

describe('compilePcre', () => {
  it('accepts Python-style and PCRE named groups', () => {
    const re = compilePcre('/users/(?P<id>\\d+)/(?<tab>\\w+)');
    expect(re.exec('/users/42/profile')?.groups).toEqual({ id: '42', tab: 'profile' });
  });

  it('turns a leading (?i) into the i flag', () => {
    const re = compilePcre('(?i)/ABC');
    expect(re.flags).toContain('i');
    expect(re.test('/abc')).toBe(true);
  });

  it('does not anchor: anchoring is the router job', () => {
    expect(compilePcre('/b').test('/a/b')).toBe(true);
  });

  it('keeps PCRE meanings that differ in JavaScript', () => {
    // PCRE's "." stops only at \n; "$" also matches before a final newline.
    expect(compilePcre('^a.b$').test('a\rb')).toBe(true);
    expect(compilePcre('^ab$').test('ab\n')).toBe(true);
    expect(compilePcre('\\Qa.b\\E').test('axb')).toBe(false);
    expect(compilePcre('[[:digit:]]+').test('123')).toBe(true);
    expect(compilePcre('/x(?P=n)?(?P<n>y)').source).toContain('\\k<n>');
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
