// Kong renders rate-limit header values with Lua's tostring, i.e. C's "%.14g":
// integers print without a fraction (5, not 5.0), other numbers with 14 significant digits.

export function luaNumberToString(value: number): string {
  // The common case (whole limits and counts) on the hot path: %.14g prints these exactly as String does.
  if (Number.isInteger(value) && value > -1e14 && value < 1e14 && !Object.is(value, -0)) return String(value);
  if (Number.isNaN(value)) return value > 0 ? 'nan' : '-nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential(13).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 14) {
    const digits = trimFraction(mantissa);
    const sign = exponent < 0 ? '-' : '+';
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${digits}e${sign}${magnitude}`;
  }
  return trimFraction(value.toFixed(Math.max(0, 13 - exponent)));
}

function trimFraction(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}
