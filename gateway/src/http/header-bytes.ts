// Header values go on the wire as bytes. Node and undici write header strings as Latin-1, so a value
// a plugin builds from Unicode text (a consumer username with an emoji) is first turned into the
// Latin-1 string of its UTF-8 bytes: the upstream then receives the same bytes Kong sends.

const NON_ASCII = /[^\x00-\x7f]/;

export function headerValueBytes(value: string): string {
  return NON_ASCII.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}
