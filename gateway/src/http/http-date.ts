// The Date header value, rebuilt at most once per second instead of per response.

let cachedSecond = -1;
let cachedValue = '';

export function httpDate(nowMs = Date.now()): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedValue = new Date(second * 1000).toUTCString();
  }
  return cachedValue;
}
