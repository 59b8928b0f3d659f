// Request shapes nginx refuses while reading the request head, before any Kong phase runs
// (ngx_http_parse_request_line, ngx_http_process_unique_header_line): 400, connection closed.

import type { IncomingMessage } from 'node:http';

/** `scheme://user:password@` at the start of an absolute-form target. */
const ABSOLUTE_FORM_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** A second Host header, or userinfo in an absolute-form target (nginx accepts no `@` in the host part). */
export function refusedByNginx(req: IncomingMessage): boolean {
  const url = req.url ?? '/';
  if (url.charCodeAt(0) !== 47 /* '/' */ && ABSOLUTE_FORM_USERINFO.test(url)) return true;
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 4 && name.toLowerCase() === 'host' && ++hosts > 1) return true;
  }
  return false;
}

/** The target as the access log may show it: userinfo is a credential and is left out. */
export function loggableTarget(target: string): string {
  return target.charCodeAt(0) === 47 ? target : target.replace(ABSOLUTE_FORM_USERINFO, '$1');
}
