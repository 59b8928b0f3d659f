// Splits a Host header or a route host entry into name and port the way Kong does
// (transform.lua split_host_port): at the first ':', and only when the rest is a number.
// `[::1]:8000` therefore stays whole, as in Kong.

export interface HostPort {
  name: string;
  port: number | null;
}

const DIGITS = /^[0-9]+$/;

export function splitHostPort(value: string): HostPort {
  const colon = value.indexOf(':');
  if (colon === -1) return { name: value, port: null };
  const rest = value.slice(colon + 1);
  if (!DIGITS.test(rest)) return { name: value, port: null };
  return { name: value.slice(0, colon), port: Number(rest) };
}
