// header_transformer.is_json_body: any comma-separated media type in Content-Type that
// application/json includes (kong.tools.mime_type: same type and subtype, or a `+json` suffix).

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))*$`);

export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  for (const part of contentType.split(',')) {
    const match = MEDIA_TYPE.exec(part.trim());
    if (match === null) continue;
    const type = match[1].toLowerCase();
    const subtype = match[2].toLowerCase();
    if (type === 'application' && (subtype === 'json' || subtype.endsWith('+json'))) return true;
  }
  return false;
}
