// A request as the curl command that sends it, in the page's style:
// `curl -i $DATA_PLANE_LB/key-auth-route/get -H 'apikey:123456'`, `curl --head …` for HEAD. Built from
// the request as it goes on the wire (runner/http.ts prepareRequest), so what is shown is what was sent.

import { prepareRequest } from '../runner/http.js';
import type { RequestRecord } from '../runner/results.js';
import type { CheckSpec } from '../spec/types.js';

/** What curl sends by itself (`Accept: *\/*`, and -d's form type): shown, they would only add noise. */
function curlSendsItself(name: string, value: string, body: RequestRecord['body']): boolean {
  const lower = name.toLowerCase();
  if (lower === 'accept') return value === '*/*';
  return lower === 'content-type' && body !== undefined && value === 'application/x-www-form-urlencoded';
}

export function toCurl(request: Pick<RequestRecord, 'method' | 'url' | 'headers' | 'body'>): string {
  const parts = ['curl', request.method === 'HEAD' ? '--head' : '-i', shellWord(request.url)];
  const body = request.body;
  const impliedMethod = request.method === 'HEAD' || (request.method === 'GET' && !body) || (request.method === 'POST' && body);
  if (!impliedMethod) parts.push('-X', request.method);
  for (const [name, value] of Object.entries(request.headers)) {
    if (!curlSendsItself(name, value, body)) parts.push('-H', quote(`${name}:${value}`));
  }
  // -d would read a file for a body that starts with @; --data-raw never does.
  if (body) parts.push(body.text.startsWith('@') ? '--data-raw' : '-d', quote(body.text));
  return parts.join(' ');
}

/** A lab's requests to try by hand against `proxyUrl` (`$DATA_PLANE_LB` will do), each once. */
export function labCurlCommands(lab: { checks: CheckSpec[] }, proxyUrl: string): string[] {
  return [...new Set(lab.checks.map((check) => toCurl(prepareRequest(proxyUrl, check.request))))];
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
