// Kong checks route regexes with PCRE2 (ngx.re, options "aj": no UTF mode, no flags) when it
// validates a route, then matches them in its router (atc-router) with Rust's regex crate, which
// runs in linear time and so has no lookarounds and no back references. Here a regex is parsed
// with PCRE2's syntax and errors, and run on V8's linear-time engine (the `l` flag), so no regex
// and no request can make matching backtrack: `(a+)+$` against `aaaa…!` costs what `a+$` does.
// What the linear engine cannot run (the same constructs Kong's router refuses, plus large
// counted repeats of capturing groups) is refused here with a message saying so.

import v8 from 'node:v8';

/** A pattern PCRE2 would refuse (message shaped like ngx.re's), or one this gateway cannot run. */
export class PcreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PcreError';
  }
}

function compileError(pattern: string, reason: string, offset: number): PcreError {
  const where = offset >= pattern.length ? '' : ` at "${pattern.slice(offset)}"`;
  return new PcreError(`pcre2_compile() failed: ${reason} in "${pattern}"${where}`);
}

function unsupported(pattern: string, what: string): PcreError {
  return new PcreError(`${what} in "${pattern}" is valid PCRE but not supported by this gateway; rewrite the regex without it`);
}

/** Constructs Kong's router (Rust regex) cannot run either: it refuses them too. */
function notLinear(pattern: string, what: string): PcreError {
  return new PcreError(
    `${what} in "${pattern}" is valid PCRE but not supported by this gateway: route regexes run in linear time, as in Kong's router, which has no lookarounds or back references; rewrite the regex without it`,
  );
}

// V8 ships a linear-time regex engine (the `l` flag) behind a flag that can be set at run time,
// before any such regex is compiled; it holds in every process that loads this module.
v8.setFlagsFromString('--enable-experimental-regexp-engine');
const LINEAR_ENGINE = (() => {
  try {
    new RegExp('', 'l');
    return true;
  } catch {
    return false;
  }
})();

/** A written-out counted repeat may not grow the regex beyond this many characters. */
const MAX_EXPANDED_REPEAT = 20_000;

// PCRE2 without UCP: \s, \d, \w are ASCII-only; \h and \v are the horizontal/vertical space sets.
const SPACE = '\\t\\n\\x0B\\f\\r ';
const HSPACE = '\\t \\xA0';
const VSPACE = '\\n\\x0B\\f\\r\\x85';
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: SPACE,
  blank: '\\t ',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
  cntrl: '\\x00-\\x1F\\x7F',
  print: ' -~',
  graph: '!-~',
  ascii: '\\x00-\\x7F',
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}/;
const UNSUPPORTED_BSUX = new Set(['L', 'l', 'U', 'u', 'F']);

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `[aA]` for a letter (case-insensitive without the `i` flag, which the linear engine lacks). */
function foldedLetter(code: number): string {
  const c = String.fromCharCode(code);
  return `[${c.toLowerCase()}${c.toUpperCase()}]`;
}

interface Translation {
  source: string;
  flags: string;
}

class Translator {
  private out = '';
  private i = 0;
  private captures = 0;
  private readonly names = new Set<string>();
  /** Position (in out) where the last repeatable item started, or -1 when a quantifier is not allowed. */
  private lastAtom = -1;
  /** Capture groups opened before the last repeatable item (to tell whether it holds one). */
  private capturesBeforeAtom = 0;
  private depth: { start: number; captures: number }[] = [];
  /** Lookarounds and back references pass PCRE's checks first, then are refused. */
  private needsBacktracking: string | null = null;
  private dotAll = false;
  private multiline = false;
  private ignoreCase = false;
  private maxReference = 0;
  private maxReferenceEnd = 0;

  /**
   * @param writeOutCounts spell counted repeats out (`x{3}` → `xxx`): V8's linear engine refuses
   * a regex whose counted repeats add up to more than about 16 copies.
   */
  constructor(
    private readonly pattern: string,
    private readonly writeOutCounts = false,
  ) {}

  translate(): Translation {
    this.leadingOptions();
    const p = this.pattern;
    while (this.i < p.length) {
      const c = p[this.i];
      if (c === '\\') this.escape();
      else if (c === '[') this.charClass();
      else if (c === '(') this.openGroup();
      else if (c === ')') this.closeGroup();
      else if (c === '*' || c === '+' || c === '?') this.quantifier(this.i + 1);
      else if (c === '{' && this.braceQuantifierEnd(this.i) > 0) this.quantifier(this.braceQuantifierEnd(this.i));
      else if (c === '|') this.emit('|', false);
      // As in Kong's router (Rust regex): `$` is the end of the text, `(?m)` makes `^`/`$` line anchors.
      else if (c === '^' || c === '$') this.emit(c, false);
      else if (c === '.') this.emit(this.dotAll ? '[\\s\\S]' : '[^\\n]', true);
      else this.emit(this.literal(c), true);
    }
    if (this.depth.length > 0) throw compileError(p, 'missing closing parenthesis', p.length);
    if (this.maxReference > this.captures) throw compileError(p, 'reference to non-existent subpattern', this.maxReferenceEnd);
    if (this.needsBacktracking) throw notLinear(p, this.needsBacktracking);
    return { source: this.out, flags: this.multiline ? 'm' : '' };
  }

  private emit(text: string, repeatable: boolean, advance = 1): void {
    this.markAtom(repeatable);
    this.out += text;
    this.i += advance;
  }

  private markAtom(repeatable: boolean): void {
    this.lastAtom = repeatable ? this.out.length : -1;
    this.capturesBeforeAtom = this.captures;
  }

  /** A character given by its code (`\\x41`, `\\101`), both cases of it under `(?i)`. */
  private codeText(code: number): string {
    return this.ignoreCase && isAsciiLetter(code) ? foldedLetter(code) : byteEscape(code);
  }

  /** One literal character, both cases of it under `(?i)`. */
  private literal(c: string): string {
    const code = c.charCodeAt(0);
    return this.ignoreCase && isAsciiLetter(code) ? foldedLetter(code) : escapeLiteral(c);
  }

  /** `(?i)`, `(?s)`, `(?m)` (and combinations) at the very start apply to the whole pattern. */
  private leadingOptions(): void {
    const p = this.pattern;
    for (;;) {
      const m = /^\(\?([a-zA-Z]+)\)/.exec(p.slice(this.i));
      if (!m) return;
      for (const letter of m[1]) {
        if (letter === 'i') this.ignoreCase = true;
        else if (letter === 's') this.dotAll = true;
        else if (letter === 'm') this.multiline = true;
        else if ('xnJUX'.includes(letter)) throw unsupported(p, `option (?${letter})`);
        else throw compileError(p, 'unrecognized character after (? or (?-', this.i + 2 + m[1].indexOf(letter) + 1);
      }
      this.i += m[0].length;
    }
  }

  /** End index (exclusive) of a `{n}`, `{n,}` or `{n,m}` quantifier starting at `start`, or -1 when `{` is a literal. */
  private braceQuantifierEnd(start: number): number {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(start));
    if (!m) return -1;
    const min = Number(m[1]);
    const max = m[3] ? Number(m[3]) : undefined;
    const end = start + m[0].length;
    if (min > 65535 || (max !== undefined && max > 65535)) throw compileError(this.pattern, 'number too big in {} quantifier', end - 1);
    if (max !== undefined && max < min) throw compileError(this.pattern, 'numbers out of order in {} quantifier', end - 1);
    return end;
  }

  private quantifier(end: number): void {
    const p = this.pattern;
    if (this.lastAtom < 0) throw compileError(p, 'quantifier does not follow a repeatable item', this.i + 1);
    let text = p.slice(this.i, end);
    let next = end;
    if (p[next] === '+') throw unsupported(p, `possessive quantifier '${text}+'`);
    const lazy = p[next] === '?';
    if (lazy) {
      text += '?';
      next += 1;
    }
    const counted = this.writeOutCounts ? /^\{(\d+)(,(\d*))?\}/.exec(text) : null;
    if (counted) {
      const min = Number(counted[1]);
      const max = counted[2] === undefined ? min : counted[3] ? Number(counted[3]) : null;
      text = this.writeOutRepeat(min, max, lazy);
    }
    this.out += text;
    this.i = next;
    this.lastAtom = -1;
  }

  /**
   * `x{min,max}` as `x…x(?:x(?:x…)?)?` (or `x…xx*` without max), for the linear engine; removes the
   * atom from `out` and returns its replacement.
   */
  private writeOutRepeat(min: number, max: number | null, lazy: boolean): string {
    const p = this.pattern;
    const atom = this.out.slice(this.lastAtom);
    if (this.captures > this.capturesBeforeAtom) throw unsupported(p, 'a counted repeat this large of a capturing group');
    if (atom.length * ((max ?? min) + 1) > MAX_EXPANDED_REPEAT) throw unsupported(p, 'a counted repeat this large');
    this.out = this.out.slice(0, this.lastAtom);
    const group = `(?:${atom})`;
    const optional = lazy ? '??' : '?';
    let tail = '';
    if (max === null) tail = `${group}*${lazy ? '?' : ''}`;
    else for (let k = min; k < max; k++) tail = `(?:${atom}${tail})${optional}`;
    return group.repeat(min) + tail;
  }

  private openGroup(): void {
    const p = this.pattern;
    const rest = p.slice(this.i);
    const start = this.out.length;
    const captures = this.captures;
    const open = (jsOpen: string, advance: number, capturing: boolean): void => {
      if (capturing) this.captures += 1;
      this.depth.push({ start, captures });
      this.out += jsOpen;
      this.i += advance;
      this.lastAtom = -1;
    };
    if (!rest.startsWith('(?') && !rest.startsWith('(*')) return open('(', 1, true);
    if (rest.startsWith('(*')) throw unsupported(p, 'a (*VERB) or (*atomic:…) construct');
    const after = rest.slice(2);
    if (after.startsWith(':')) return open('(?:', 3, false);
    if (after.startsWith('=') || after.startsWith('!')) {
      this.needsBacktracking ??= `lookahead (?${after[0]}…)`;
      return open(`(?${after[0]}`, 3, false);
    }
    if (after.startsWith('<=') || after.startsWith('<!')) {
      this.needsBacktracking ??= `lookbehind (?${after.slice(0, 2)}…)`;
      return open(`(?${after.slice(0, 2)}`, 4, false);
    }
    if (after.startsWith('#')) {
      const close = p.indexOf(')', this.i);
      if (close < 0) throw compileError(p, 'missing ) after (?# comment', p.length);
      this.i = close + 1;
      return;
    }
    if (after.startsWith('P=')) return this.namedReference(this.i + 4, ')', 1);
    if (after.startsWith('P>') || after.startsWith('&') || /^(?:R|[0-9]|[+-]\d)/.test(after)) throw unsupported(p, 'recursion or subroutine call');
    const named = /^(?:P<|<|')/.exec(after);
    if (named) {
      const nameStart = this.i + 2 + named[0].length;
      const terminator = named[0] === "'" ? "'" : '>';
      const m = NAME.exec(p.slice(nameStart));
      if (!m) {
        if (/^\d/.test(p.slice(nameStart))) throw compileError(p, 'subpattern name must start with a non-digit', nameStart + 1);
        throw compileError(p, 'subpattern name expected', nameStart + 1);
      }
      const nameEnd = nameStart + m[0].length;
      if (p[nameEnd] !== terminator) {
        if (/[A-Za-z0-9_]/.test(p[nameEnd] ?? '')) throw compileError(p, 'subpattern name is too long (maximum 32 code units)', nameEnd);
        throw compileError(p, `syntax error in subpattern name (missing terminator?)`, nameEnd + 1);
      }
      if (this.names.has(m[0])) throw compileError(p, 'two named subpatterns have the same name (PCRE2_DUPNAMES not set)', nameEnd + 1);
      this.names.add(m[0]);
      return open(`(?<${m[0]}>`, nameEnd + 1 - this.i, true);
    }
    if (after.startsWith('>')) throw unsupported(p, 'atomic group (?>…)');
    if (after.startsWith('|')) throw unsupported(p, 'branch reset group (?|…)');
    if (after.startsWith('(')) throw unsupported(p, 'conditional group (?(…)…)');
    if (/^[a-zA-Z^-]/.test(after)) throw unsupported(p, 'an inline option not at the start of the regex');
    throw compileError(p, 'unrecognized character after (? or (?-', this.i + 3);
  }

  private closeGroup(): void {
    const group = this.depth.pop();
    if (group === undefined) throw compileError(this.pattern, 'unmatched closing parenthesis', this.i);
    this.out += ')';
    this.i += 1;
    // Lookbehind/lookahead groups are quantifiable in PCRE2 and in JS's Annex B, like other groups.
    this.lastAtom = group.start;
    this.capturesBeforeAtom = group.captures;
  }

  /** Emits `\k<name>` for a reference whose name starts at `nameStart` and ends with `terminator`. */
  private namedReference(nameStart: number, terminator: string, extra: number): void {
    const p = this.pattern;
    const m = NAME.exec(p.slice(nameStart));
    if (!m || p[nameStart + m[0].length] !== terminator) {
      throw compileError(p, 'syntax error in subpattern name (missing terminator?)', nameStart + (m ? m[0].length : 0) + 1);
    }
    if (!this.names.has(m[0]) && !new RegExp(`\\(\\?(?:P?<|')${m[0]}[>']`).test(p)) {
      throw compileError(p, 'reference to non-existent subpattern', nameStart + m[0].length);
    }
    this.needsBacktracking ??= 'a back reference';
    this.markAtom(true);
    this.out += `\\k<${m[0]}>`;
    this.i = nameStart + m[0].length + extra;
  }

  private numberedReference(n: number, end: number): void {
    if (n > this.maxReference) {
      this.maxReference = n;
      this.maxReferenceEnd = end;
    }
    this.needsBacktracking ??= 'a back reference';
    this.markAtom(true);
    // `(?:)` keeps a following literal digit from joining the group number.
    this.out += `\\${n}(?:)`;
    this.i = end;
  }

  private escape(): void {
    const p = this.pattern;
    const c = p[this.i + 1];
    if (c === undefined) throw compileError(p, '\\ at end of pattern', p.length);
    const simple = this.simpleEscape(this.i, false);
    if (simple) return this.emit(simple.code === undefined ? simple.text : this.codeText(simple.code), simple.repeatable, simple.length);
    switch (c) {
      case 'A':
      case 'G':
      case 'z':
        // Start and end of the text; with (?m) the linear engine has no way to say it.
        if (this.multiline) throw unsupported(p, `\\${c} together with (?m)`);
        return this.emit(c === 'z' ? '$' : '^', false, 2);
      case 'Z':
        throw notLinear(p, '\\Z');
      case 'b':
      case 'B':
        return this.emit(`\\${c}`, false, 2);
      case 'K':
        throw unsupported(p, '\\K');
      case 'C':
        return this.emit('[\\s\\S]', true, 2);
      case 'X':
      case 'p':
      case 'P':
        throw unsupported(p, `\\${c} (Unicode properties)`);
      case 'R':
        return this.emit(`(?:\\r\\n|[${VSPACE}])`, true, 2);
      case 'N':
        if (p[this.i + 2] === '{') throw compileError(p, 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', this.i + 2);
        return this.emit('[^\\n]', true, 2);
      case 'Q': {
        const end = p.indexOf('\\E', this.i + 2);
        const literal = p.slice(this.i + 2, end < 0 ? p.length : end);
        this.i = end < 0 ? p.length : end + 2;
        for (const ch of literal) {
          this.markAtom(true);
          this.out += this.literal(ch);
        }
        return;
      }
      case 'E':
        this.i += 2;
        return;
      case 'k': {
        const open = p[this.i + 2];
        const close = open === '<' ? '>' : open === "'" ? "'" : open === '{' ? '}' : null;
        if (!close) throw compileError(p, '\\k is not followed by a braced, angle-bracketed, or quoted name', this.i + 2);
        return this.namedReference(this.i + 3, close, 1);
      }
      case 'g': {
        const rest = p.slice(this.i + 2);
        const m = /^(?:\{(-?\d+)\}|(-?\d+))/.exec(rest);
        if (m) {
          let n = Number(m[1] ?? m[2]);
          if (n < 0) n = this.captures + 1 + n;
          if (n <= 0) throw compileError(p, 'a relative value of zero is not allowed', this.i + 2 + m[0].length);
          return this.numberedReference(n, this.i + 2 + m[0].length);
        }
        if (rest.startsWith('{')) return this.namedReference(this.i + 3, '}', 1);
        if (rest.startsWith('<') || rest.startsWith("'")) throw unsupported(p, 'subroutine call \\g<…>');
        throw compileError(p, 'a numbered reference must not be zero', this.i + 2);
      }
      default:
        break;
    }
    if (/[1-9]/.test(c)) {
      const m = /^\d+/.exec(p.slice(this.i + 1))!;
      // PCRE: \1–\9 are always back references; larger numbers are references when that many groups exist, otherwise octal.
      const n = Number(m[0]);
      if (n < 10 || n <= this.captures) return this.numberedReference(n, this.i + 1 + m[0].length);
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-7]{1,3}/.exec(p.slice(this.i + 1));
      if (!m) return this.emit(escapeLiteral(c), true, 2);
      return this.emit(this.codeText(parseInt(m[0], 8) & 0xff), true, 1 + m[0].length);
    }
    if (UNSUPPORTED_BSUX.has(c)) throw compileError(p, 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', this.i + 2);
    if (/[A-Za-z]/.test(c)) throw compileError(p, 'unrecognized character follows \\', this.i + 2);
    // Any other escaped character is that character.
    return this.emit(escapeLiteral(c), true, 2);
  }

  /** Escapes that mean one character or a class, valid both inside and outside a class. */
  private simpleEscape(at: number, inClass: boolean): { text: string; repeatable: boolean; length: number; code?: number } | null {
    const p = this.pattern;
    const c = p[at + 1];
    const single = (code: number, length = 2) => ({ text: byteEscape(code), repeatable: true, length, code });
    const set = (body: string, negated: boolean) => ({
      text: inClass ? body : `[${negated ? '^' : ''}${body}]`,
      repeatable: true,
      length: 2,
    });
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { text: `\\${c}`, repeatable: true, length: 2 };
      case 's':
        return set(SPACE, false);
      case 'S':
        if (inClass) return { text: '\\S', repeatable: true, length: 2 };
        return set(SPACE, true);
      case 'h':
        return set(HSPACE, false);
      case 'H':
        if (inClass) throw unsupported(p, '\\H inside a character class');
        return set(HSPACE, true);
      case 'v':
        return set(VSPACE, false);
      case 'V':
        if (inClass) throw unsupported(p, '\\V inside a character class');
        return set(VSPACE, true);
      case 'n':
        return single(0x0a);
      case 'r':
        return single(0x0d);
      case 't':
        return single(0x09);
      case 'f':
        return single(0x0c);
      case 'e':
        return single(0x1b);
      case 'a':
        return single(0x07);
      case 'c': {
        const ch = p[at + 2];
        if (ch === undefined) throw compileError(p, '\\c at end of pattern', p.length);
        if (ch.charCodeAt(0) > 127) throw compileError(p, '\\c must be followed by a printable ASCII character', at + 3);
        return single(ch.toUpperCase().charCodeAt(0) ^ 0x40, 3);
      }
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]*)\}/.exec(p.slice(at + 2));
        if (braced) {
          const code = parseInt(braced[1] || '0', 16);
          if (code > 0xff) throw compileError(p, 'character code point value in \\x{} or \\o{} is too large', at + 2 + braced[0].length);
          return single(code, 2 + braced[0].length);
        }
        const m = /^[0-9A-Fa-f]{0,2}/.exec(p.slice(at + 2))!;
        return single(m[0] ? parseInt(m[0], 16) : 0, 2 + m[0].length);
      }
      case 'o': {
        const m = /^\{([0-7]+)\}/.exec(p.slice(at + 2));
        if (!m) throw compileError(p, 'missing opening brace after \\o', at + 2);
        const code = parseInt(m[1], 8);
        if (code > 0xff) throw compileError(p, 'character code point value in \\x{} or \\o{} is too large', at + 2 + m[0].length);
        return single(code, 2 + m[0].length);
      }
      default:
        return null;
    }
  }

  private charClass(): void {
    const p = this.pattern;
    let j = this.i + 1;
    let body = '';
    let negated = false;
    if (p[j] === '^') {
      negated = true;
      j += 1;
    }
    // Code of the previous single character (for range checks), or null after a class escape.
    let prevCode: number | null = null;
    let pendingRange = false;
    let first = true;
    // Single characters and ranges by code, to add the other case under (?i).
    const ranges: [number, number][] = [];
    for (;;) {
      if (j >= p.length) throw compileError(p, 'missing terminating ] for character class', p.length);
      const c = p[j];
      if (c === ']' && !first) break;
      first = false;
      let code: number | null = null;
      let text: string;
      let length = 1;
      if (c === '[' && /^\[:\^?[a-z]+:\]/.test(p.slice(j))) {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j))!;
        const cls = this.ignoreCase && (m[2] === 'upper' || m[2] === 'lower') ? 'A-Za-z' : POSIX_CLASSES[m[2]];
        if (!cls) throw compileError(p, 'unknown POSIX class name', j + m[0].length);
        if (m[1]) throw unsupported(p, `negated POSIX class [:^${m[2]}:]`);
        text = cls;
        length = m[0].length;
      } else if (c === '\\') {
        const next = p[j + 1];
        if (next === undefined) throw compileError(p, '\\ at end of pattern', p.length);
        const simple = this.simpleEscape(j, true);
        if (simple) {
          text = simple.text;
          length = simple.length;
          code = simple.code ?? null;
        } else if (next === 'b') {
          text = '\\x08';
          length = 2;
          code = 8;
        } else if (next === 'Q' || next === 'E') {
          throw unsupported(p, '\\Q…\\E inside a character class');
        } else if (/[0-7]/.test(next)) {
          const m = /^[0-7]{1,3}/.exec(p.slice(j + 1))!;
          code = parseInt(m[0], 8) & 0xff;
          text = byteEscape(code);
          length = 1 + m[0].length;
        } else if (UNSUPPORTED_BSUX.has(next)) {
          throw compileError(p, 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', j + 2);
        } else if (/[A-Za-z0-9]/.test(next)) {
          throw compileError(p, next === 'N' ? '\\N is not supported in a class' : 'unrecognized character follows \\', j + 2);
        } else {
          code = next.charCodeAt(0);
          text = byteEscape(code);
          length = 2;
        }
      } else {
        code = c.charCodeAt(0);
        text = c === '-' ? '-' : classLiteral(c);
      }
      if (pendingRange) {
        if (code === null || prevCode === null) {
          // PCRE2 treats `a-\d` as an error in a range; keep it simple and say so.
          throw compileError(p, 'invalid range in character class', j + length);
        }
        if (code < prevCode) throw compileError(p, 'range out of order in character class', j + length - 1);
        ranges.push([prevCode, code]);
        pendingRange = false;
        prevCode = null;
        body += text;
        j += length;
        continue;
      }
      if (c === '-' && prevCode !== null && p[j + 1] !== ']' && j + 1 < p.length) {
        pendingRange = true;
        body += '-';
        j += 1;
        continue;
      }
      prevCode = code;
      if (code !== null) ranges.push([code, code]);
      // A '-' that does not make a range is a literal.
      body += c === '-' ? '\\-' : text;
      j += length;
    }
    if (this.ignoreCase) body += otherCase(ranges);
    this.markAtom(true);
    this.out += `[${negated ? '^' : ''}${body}]`;
    this.i = j + 1;
  }
}

/** Class ranges for the ASCII letters of `ranges` in the other case. */
function otherCase(ranges: readonly [number, number][]): string {
  let out = '';
  for (const [lo, hi] of ranges) {
    for (const [from, to, shift] of [[0x41, 0x5a, 0x20], [0x61, 0x7a, -0x20]]) {
      const start = Math.max(lo, from);
      const end = Math.min(hi, to);
      if (start <= end) out += `${byteEscape(start + shift)}-${byteEscape(end + shift)}`;
    }
  }
  return out;
}

function byteEscape(code: number): string {
  return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

function escapeLiteral(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function classLiteral(c: string): string {
  return /[\\\]^[]/.test(c) ? `\\${c}` : c;
}

export interface CompileOptions {
  /**
   * Anchor at the start, as Kong's router does for `~` paths: `^` prepended, unwrapped, so
   * `~/a|/b` anchors only its first branch (kept as Kong has it).
   */
  anchored?: boolean;
}

/**
 * Compiles a PCRE2 pattern (as Kong's route `~` paths use it, without the `~`) to a JavaScript
 * RegExp on V8's linear-time engine. Supports named groups (`(?P<n>…)`, `(?<n>…)`, `(?'n'…)`),
 * leading inline options `(?i)`, `(?s)`, `(?m)`, `\Q…\E`, POSIX classes and PCRE's escapes.
 * Throws PcreError with ngx.re's `pcre2_compile() failed: … in "<pattern>"` message for invalid
 * patterns, and a plain one for what cannot run in linear time. The RegExp is compiled here, not
 * on its first request (V8 compiles lazily), so a regex too large for V8 is refused at load.
 */
export function compilePcre(pattern: string, options: CompileOptions = {}): RegExp {
  if (!LINEAR_ENGINE) {
    throw new PcreError(`regex "${pattern}" cannot be used: this Node.js has no linear-time regex engine (V8's --enable-experimental-regexp-engine), so regex routes are refused`);
  }
  // Counted repeats are written out only when the engine refuses them as they are.
  const re = linearRegExp(pattern, options, false) ?? linearRegExp(pattern, options, true);
  if (re === null) throw new PcreError(`regex "${pattern}" cannot run in linear time in this gateway (too many counted repeats); simplify it`);
  try {
    re.exec('');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PcreError(`regex "${pattern}" cannot be compiled: ${reason.replace(/^.*: /s, '').toLowerCase()}`);
  }
  return re;
}

/** The RegExp on the linear engine, or null when the engine cannot run it. */
function linearRegExp(pattern: string, options: CompileOptions, writeOutCounts: boolean): RegExp | null {
  const { source, flags } = new Translator(pattern, writeOutCounts).translate();
  try {
    return new RegExp(options.anchored ? `^${source}` : source, `${flags}l`);
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
    if (/linear time/.test(reason)) return null;
    throw new PcreError(`pcre2_compile() failed: ${reason.toLowerCase()} in "${pattern}"`);
  }
}
