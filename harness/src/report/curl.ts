// A lab request as the curl command an attendee would type, in the page's style:
// `curl -i $DATA_PLANE_LB/key-auth-route/get -H 'apikey:123456'`, `curl --head …` for HEAD.

import type { RequestSpec } from '../spec/types.js';

/** `url` is the full request URL (query included), as the runner recorded it. */
export function toCurl(url: string, request: RequestSpec): string {
  const parts = ['curl', request.method === 'HEAD' ? '--head' : '-i', shellWord(url)];
  const impliedMethod = request.method === 'HEAD' || (request.method === 'GET' && !request.body) || (request.method === 'POST' && request.body);
  if (!impliedMethod) parts.push('-X', request.method);
  for (const [name, value] of request.headers) parts.push('-H', quote(`${name}:${value}`));
  const body = request.body;
  if (body) {
    const hasType = request.headers.some(([name]) => name.toLowerCase() === 'content-type');
    switch (body.kind) {
      case 'form':
        if (body.contentType && !hasType) parts.push('-H', quote(`Content-Type: ${body.contentType}`));
        parts.push('-d', quote(new URLSearchParams(body.fields).toString()));
        break;
      case 'json':
        if (!hasType) parts.push('-H', quote(`Content-Type: ${body.contentType ?? 'application/json'}`));
        parts.push('-d', quote(JSON.stringify(body.value)));
        break;
      case 'raw':
        if (!hasType) parts.push('-H', quote(`Content-Type: ${body.contentType ?? 'text/plain'}`));
        parts.push('--data-binary', quote(body.text));
        break;
    }
  }
  return parts.join(' ');
}

/** Quotes only when the shell would otherwise change the word; a leading `$VARIABLE` stays expandable. */
export function shellWord(text: string): string {
  const variable = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? '';
  const rest = text.slice(variable.length);
  if (/^[A-Za-z0-9_\/:.,=@%+-]*$/.test(rest)) return variable + rest;
  return variable ? `"${variable}${rest.replace(/["\\$`]/g, '\\$&')}"` : quote(rest);
}

export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
