// JSON exactly as Debian's httpbin 0.7.0 on Flask 2.2 writes it: Python's json module with
// sort_keys=True, ensure_ascii=True and compact separators, plus httpbin's trailing newline.
// Request bodies are parsed the Python way too, so integers stay integers ("1" echoes as 1)
// and floats echo in Python's repr ("1.0" stays 1.0, 1e16 becomes 1e+16).

/** A JSON integer as Python holds it: arbitrary precision, kept as its canonical decimal text. */
export class PyInt {
  constructor(readonly digits: string) {}
}

/** A JSON number with a fraction or exponent: a Python float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A JSON object from a request body; a Map because keys such as "__proto__" are ordinary data. */
export type PyDict = Map<string, PyValue>;

export type PyValue =
  | null
  | boolean
  | string
  | number
  | PyInt
  | PyFloat
  | PyValue[]
  | PyDict
  | { [key: string]: PyValue };

/** Flask 2.2's `jsonify` body as httpbin sends it (compact, sorted, ASCII-only, newline-terminated). */
export function flaskJsonBody(value: PyValue): string {
  return `${pythonJsonDumps(value)}\n`;
}

/** `json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))`. */
export function pythonJsonDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return encodeString(value);
  // Numbers built by handlers are counts and codes: integers print as Python ints.
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  if (value instanceof PyInt) return value.digits;
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(',')}]`;
  const entries: Array<[string, PyValue]> = value instanceof Map ? [...value.entries()] : Object.entries(value);
  entries.sort((a, b) => compareCodePoints(a[0], b[0]));
  return `{${entries.map(([k, v]) => `${encodeString(k)}:${pythonJsonDumps(v)}`).join(',')}}`;
}

/** `json.dumps` with the default separators (", " and ": "), unsorted: what httpbin's 406 body uses. */
export function pythonJsonDumpsDefault(value: PyValue): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumpsDefault).join(', ')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof PyInt) && !(value instanceof PyFloat)) {
    const entries: Array<[string, PyValue]> = value instanceof Map ? [...value.entries()] : Object.entries(value);
    return `{${entries.map(([k, v]) => `${encodeString(k)}: ${pythonJsonDumpsDefault(v)}`).join(', ')}}`;
  }
  return pythonJsonDumps(value);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Python's ensure_ascii escapes everything outside printable ASCII (space..tilde), one UTF-16 unit at a time.
function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

// Python sorts str keys by code point; JS's default compares UTF-16 units, which differs above U+FFFF.
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for exponents -4..15, always a dot or exponent. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument yields the shortest digits that round-trip, like Python's repr.
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp) + 1; // value = 0.<digits> * 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Thrown by `pythonJsonLoads` for anything Python's `json.loads` would reject. */
export class PythonJsonError extends Error {}

// CPython refuses to convert integers longer than this many digits (sys.int_info.default_max_str_digits).
const MAX_INT_DIGITS = 4300;

/** `json.loads(text)`: accepts NaN/Infinity like Python, rejects a BOM, raw control characters and trailing data. */
export function pythonJsonLoads(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new PythonJsonError(`${what} at char ${pos}`);
  };
  const skipWs = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const numberRe = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
  const parseValue = (): PyValue => {
    skipWs();
    const ch = text[pos];
    if (ch === '"') return parseString();
    if (ch === '{') return parseObject();
    if (ch === '[') return parseArray();
    for (const [word, val] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', new PyFloat(NaN)],
      ['Infinity', new PyFloat(Infinity)],
      ['-Infinity', new PyFloat(-Infinity)],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return val;
      }
    }
    numberRe.lastIndex = pos;
    const m = numberRe.exec(text);
    if (!m) return fail('Expecting value');
    pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const negative = m[0].startsWith('-');
      const abs = negative ? m[0].slice(1) : m[0];
      if (abs.length > MAX_INT_DIGITS) fail('Exceeds the limit for integer string conversion');
      return new PyInt(negative && abs !== '0' ? `-${abs}` : abs);
    }
    return new PyFloat(Number(m[0]));
  };
  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('Unterminated string');
      const ch = text[pos++];
      if (ch === '"') return out;
      if (ch === '\\') {
        const esc = text[pos++];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && simple[esc] !== undefined) out += simple[esc];
        else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos, pos + 4))) {
          out += String.fromCharCode(parseInt(text.slice(pos, pos + 4), 16));
          pos += 4;
        } else fail('Invalid \\escape');
      } else if (ch.charCodeAt(0) < 0x20) fail('Invalid control character');
      else out += ch;
    }
  };
  const parseArray = (): PyValue[] => {
    pos++;
    const out: PyValue[] = [];
    skipWs();
    if (text[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      out.push(parseValue());
      skipWs();
      const ch = text[pos++];
      if (ch === ']') return out;
      if (ch !== ',') fail("Expecting ',' delimiter");
    }
  };
  const parseObject = (): PyDict => {
    pos++;
    const out: PyDict = new Map();
    skipWs();
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[pos] !== '"') fail('Expecting property name enclosed in double quotes');
      const key = parseString();
      skipWs();
      if (text[pos++] !== ':') fail("Expecting ':' delimiter");
      out.set(key, parseValue());
      skipWs();
      const ch = text[pos++];
      if (ch === '}') return out;
      if (ch !== ',') fail("Expecting ',' delimiter");
    }
  };
  const value = parseValue();
  skipWs();
  if (pos !== text.length) fail('Extra data');
  return value;
}
