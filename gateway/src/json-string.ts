// JSON string literals built by hand for the per-request log lines: the same text JSON.stringify
// writes (and, for cjson, with `/` escaped as `\/`), without a trip through JSON.stringify for the
// common string that needs no escape.

/** Characters JSON.stringify would escape (or, for lone surrogates, rewrite). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(value) for a string. */
export function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** The same, or a `/` (cjson escapes it): one test for the many strings that hold neither. */
const NEEDS_CJSON_ESCAPE = /["\\/\u0000-\u001f\ud800-\udfff]/;

/** lua-cjson's text for a string: JSON.stringify's, with every `/` written `\/`. */
export function cjsonString(value: string): string {
  if (!NEEDS_CJSON_ESCAPE.test(value)) return `"${value}"`;
  if (NEEDS_ESCAPE.test(value)) return JSON.stringify(value).replace(/\//g, '\\/');
  return `"${value.replaceAll('/', '\\/')}"`;
}

/** JSON.stringify(value) for a number: non-finite numbers are null. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
