// Strict UTF-8 decoding. Buffer#toString turns every invalid sequence into U+FFFD, so a name
// with a stray byte would load as a different name; Kong validates UTF-8 and refuses it instead.

export class InvalidUtf8Error extends Error {
  constructor(readonly offset: number) {
    super(`invalid UTF-8 at byte ${offset}`);
    this.name = 'InvalidUtf8Error';
  }
}

// ignoreBOM keeps a leading BOM in the text, as Buffer#toString does.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of the sequence a lead byte starts, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]);
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    // Overlong forms, surrogates and code points above U+10FFFF.
    const second = bytes[i + 1];
    if (bytes[i] === 0xe0 && second < 0xa0) return i;
    if (bytes[i] === 0xed && second > 0x9f) return i;
    if (bytes[i] === 0xf0 && second < 0x90) return i;
    if (bytes[i] === 0xf4 && second > 0x8f) return i;
    i += length;
  }
  return -1;
}

/** The text of `bytes`; throws InvalidUtf8Error naming the first bad byte. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InvalidUtf8Error(Math.max(0, firstInvalidByte(bytes)));
  }
}
