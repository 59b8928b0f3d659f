// The few Python built-in conversions httpbin applies to URL parts: int(), float() and
// base64.urlsafe_b64decode(). Each returns undefined where Python raises, which httpbin
// turns into a 500 page (or a 400 where it catches the error itself).

const DIGITS = String.raw`\d(?:_?\d)*`;
const INT_RE = new RegExp(`^[+-]?${DIGITS}$`);
const FLOAT_RE = new RegExp(`^[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`, 'i');

/** Python's `int(text)`: surrounding whitespace, a sign and single underscores between digits allowed. */
export function pythonInt(text: string): bigint | undefined {
  const t = text.trim();
  if (!INT_RE.test(t)) return undefined;
  return BigInt(t.replace(/_/g, ''));
}

/** Python's `float(text)`, including "inf" and "nan". */
export function pythonFloat(text: string): number | undefined {
  const t = text.trim();
  if (!FLOAT_RE.test(t)) return undefined;
  const lower = t.toLowerCase().replace(/_/g, '');
  const sign = lower.startsWith('-') ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'nan') return NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Infinity;
  return Number(lower);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * `base64.urlsafe_b64decode(text)` as CPython 3.11's non-strict decoder does it: characters outside
 * the alphabet are skipped, decoding stops at the first complete padding, and leftover bits are an error.
 */
export function pythonUrlsafeB64decode(text: string): Buffer | undefined {
  const s = text.replace(/-/g, '+').replace(/_/g, '/');
  const out: number[] = [];
  let quadPos = 0;
  let pads = 0;
  let leftchar = 0;
  for (const ch of s) {
    if (ch === '=') {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Buffer.from(out);
      continue;
    }
    const v = B64.indexOf(ch);
    if (v === -1 || ch.length !== 1) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        leftchar = v;
        quadPos = 1;
        break;
      case 1:
        out.push(((leftchar << 2) | (v >> 4)) & 0xff);
        leftchar = v & 0x0f;
        quadPos = 2;
        break;
      case 2:
        out.push(((leftchar << 4) | (v >> 2)) & 0xff);
        leftchar = v & 0x03;
        quadPos = 3;
        break;
      default:
        out.push(((leftchar << 6) | v) & 0xff);
        leftchar = 0;
        quadPos = 0;
    }
  }
  return quadPos === 0 ? Buffer.from(out) : undefined;
}
