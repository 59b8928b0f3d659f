// request-transformer's value templates. Kong compiles every value with Penlight's template
// (`$(lua expression)`, `#` lines disabled) and renders it in a Lua sandbox. We run no Lua: the
// expressions people write in these templates are parsed into a small closed form and anything
// else is refused when the declaration loads, so nothing is skipped or guessed at request time.
//
//   operand  := source '.' name | source '[' 'string' ']' | source '[' integer ']' | 'string'
//   source   := headers | query_params | uri_captures | shared
//   template := ... '$(' operand { 'or' operand } ')' ...
//
// A quoted string is how Kong's docs escape a template: `$('$(not a template)')`.

import type { ArgValue } from '../../http/ngx-args.js';

export type TemplateSource = 'headers' | 'query_params' | 'uri_captures' | 'shared';

type Operand = { readonly literal: string } | { readonly source: TemplateSource; readonly key: string | number };

/** Literal text, or one `$( … )` as its `or` chain. */
type Piece = string | readonly Operand[];

export interface Template {
  readonly pieces: readonly Piece[];
  /** No `$( … )` at all: the text is the value. */
  readonly plain: boolean;
}

/** What a lookup finds, in Lua terms: nil, a string, true (a query flag), or a table (a repeated name). */
export type LuaValue = ArgValue | undefined;

/** The template environment; each source is read once, when a template first uses it (Kong loads them lazily). */
export interface TemplateEnv {
  lookup(source: TemplateSource, key: string | number): LuaValue;
}

export class TemplateError extends Error {}

const SOURCES: ReadonlySet<string> = new Set<TemplateSource>(['headers', 'query_params', 'uri_captures', 'shared']);

export const SUPPORTED_TEMPLATES =
  "$(headers.name), $(headers['name']), $(query_params.name), $(uri_captures.name), $(uri_captures[1]), $(shared.name), " +
  "a quoted string, and `or` between them (e.g. $(query_params.v or 'default'))";

/** Penlight's `()$(%b())()`: the end of the balanced `( … )` that starts at `open`, or -1. Quotes do not count. */
function balancedEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

export function compileTemplate(text: string): Template {
  const pieces: Piece[] = [];
  let literalFrom = 0;
  let at = text.indexOf('$(');
  while (at !== -1) {
    const close = balancedEnd(text, at + 1);
    if (close === -1) {
      at = text.indexOf('$(', at + 1);
      continue;
    }
    if (at > literalFrom) pieces.push(text.slice(literalFrom, at));
    pieces.push(parseExpression(text.slice(at + 2, close), text.slice(at, close + 1)));
    literalFrom = close + 1;
    at = text.indexOf('$(', literalFrom);
  }
  if (literalFrom < text.length) pieces.push(text.slice(literalFrom));
  return { pieces, plain: pieces.every((piece) => typeof piece === 'string') };
}

class Scanner {
  at = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  done(): boolean {
    this.skipSpace();
    return this.at >= this.text.length;
  }

  word(): string | null {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at));
    if (match === null) return null;
    this.at += match[0].length;
    return match[0];
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }

  /** A Lua short string: '…' or "…" with the usual backslash escapes. */
  string(): string | null {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") return null;
    let out = '';
    let i = this.at + 1;
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    while (i < this.text.length && this.text[i] !== quote) {
      if (this.text[i] !== '\\') {
        out += this.text[i++];
        continue;
      }
      const next = this.text[i + 1] ?? '';
      if (escapes[next] !== undefined) {
        out += escapes[next];
        i += 2;
      } else if (/\d/.test(next)) {
        const digits = /^\d{1,3}/.exec(this.text.slice(i + 1))![0];
        out += String.fromCharCode(Number(digits));
        i += 1 + digits.length;
      } else return null;
    }
    if (i >= this.text.length) return null;
    this.at = i + 1;
    return out;
  }

  integer(): number | null {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.at));
    if (match === null) return null;
    this.at += match[0].length;
    return Number(match[0]);
  }

  expect(char: string): boolean {
    if (this.peek() !== char) return false;
    this.at++;
    return true;
  }
}

function parseOperand(scanner: Scanner): Operand | null {
  const literal = scanner.string();
  if (literal !== null) return { literal };
  const source = scanner.word();
  if (source === null || !SOURCES.has(source)) return null;
  if (scanner.expect('.')) {
    const key = scanner.word();
    return key === null ? null : { source: source as TemplateSource, key };
  }
  if (scanner.expect('[')) {
    const key = scanner.string() ?? scanner.integer();
    if (key === null || !scanner.expect(']')) return null;
    return { source: source as TemplateSource, key };
  }
  return null;
}

function parseExpression(expression: string, whole: string): Operand[] {
  const scanner = new Scanner(expression);
  const chain: Operand[] = [];
  for (;;) {
    const operand = parseOperand(scanner);
    if (operand === null) break;
    chain.push(operand);
    if (scanner.done()) return chain;
    const at = scanner.at;
    if (scanner.word() !== 'or') {
      scanner.at = at;
      break;
    }
  }
  throw new TemplateError(`template '${whole}' is a Lua expression this gateway does not run; it runs ${SUPPORTED_TEMPLATES}`);
}

/** Lua's tostring for what a lookup returns; a repeated name (a Lua table) renders as its values joined by ', '. */
function luaToString(value: string | true | Array<string | true>): string {
  if (Array.isArray(value)) return value.map((one) => String(one)).join(', ');
  return String(value);
}

function evaluate(chain: readonly Operand[], env: TemplateEnv): LuaValue {
  for (const operand of chain) {
    const value = 'literal' in operand ? operand.literal : env.lookup(operand.source, operand.key);
    // Lua's `or`: the first value that is neither nil nor false ('' counts as a value).
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Penlight renders each `$( … )` as tostring(expr or ''). */
export function renderTemplate(template: Template, env: TemplateEnv): string {
  let out = '';
  for (const piece of template.pieces) {
    if (typeof piece === 'string') out += piece;
    else {
      const value = evaluate(piece, env);
      if (value !== undefined) out += luaToString(value);
    }
  }
  return out;
}
