import { describe, expect, it } from 'vitest';
import { normalizePath } from '../../src/schema/normalize-path.js';

describe('normalizePath', () => {
  it.each([
    ['/', '/'],
    ['', ''],
    ['/a/./b/../c', '/a/c'],
    ['//a//b', '/a/b'],
    ['/foo/..', '/'],
    ['/a/b/', '/a/b/'],
    ['/x/%2e%2E/y', '/y'],
    ['/%41%7e', '/A~'],
    ['/a%2fb', '/a%2Fb'],
    ['/a%20b', '/a b'],
    ['/%25', '/%25'],
    ['/%c3%a9', '/é'],
    ['/%ff', '/%FF'],
  ])('%j → %j', (input, output) => {
    expect(normalizePath(input)).toBe(output);
  });
});
