// Maps a failed upstream exchange to the status and message Kong's nginx error pages give, and names it for the error log.

export interface UpstreamFailure {
  status: 502 | 503 | 504;
  message: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const RESOLUTION_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** The codes of an error and its causes, outermost first. */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function classifyUpstreamError(err: unknown): UpstreamFailure {
  const codes = errorCodes(err);
  if (codes.some((code) => RESOLUTION_CODES.has(code))) return { status: 503, message: 'name resolution failed' };
  if (codes.some((code) => TIMEOUT_CODES.has(code))) return { status: 504, message: 'The upstream server is timing out' };
  return { status: 502, message: 'An invalid response was received from the upstream server' };
}

/** The error and its causes with their codes, as nginx's error log names a failure (undici's messages hold no header values). */
export function describeUpstreamError(err: Error): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.join(': ');
}
