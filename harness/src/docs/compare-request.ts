// `curl -v`'s `> ` lines against what was sent: the request line exactly, every header both ways, with the
// Host (the environment's address) and curl's version in User-Agent masked.

import type { Drift } from './compare-response.js';
import type { ActualResponse } from './http-exchange.js';
import type { DocumentedRequest } from './types.js';

/** Request headers whose values depend on who captured the page. */
export const REQUEST_HEADER_MASKS: ReadonlyArray<{ header: string; check: (value: string) => boolean; why: string }> = [
  { header: 'Host', check: (value) => value.trim() !== '', why: "the address of the capture's gateway; ours differs" },
  { header: 'User-Agent', check: (value) => /^curl\/\d+(\.\d+)*/.test(value), why: 'curl/<version>: the version of the capture\'s curl' },
];

export function compareRequest(documented: DocumentedRequest, sent: ActualResponse['sent'], file: string): Drift[] {
  const drifts: Drift[] = [];
  const { requestLine } = documented;
  if (requestLine.text !== sent.requestLine) {
    drifts.push({ file, line: requestLine.line, message: `request line: documented "> ${requestLine.text}", curl sent "> ${sent.requestLine}"` });
  }
  const sentValue = (name: string): string | undefined => sent.headers.find(([header]) => header.toLowerCase() === name.toLowerCase())?.[1];
  for (const header of documented.headers) {
    const value = sentValue(header.name);
    if (value === undefined) {
      drifts.push({ file, line: header.line, message: `> ${header.name}: documented "${header.value}", but curl does not send ${header.name}` });
      continue;
    }
    const mask = REQUEST_HEADER_MASKS.find((entry) => entry.header.toLowerCase() === header.name.toLowerCase());
    if (mask ? !mask.check(value) : value !== header.value) {
      drifts.push({ file, line: header.line, message: `> ${header.name}: documented "${header.value}", curl sent "${value}"` });
    }
  }
  const shown = new Set(documented.headers.map((header) => header.name.toLowerCase()));
  for (const [name, value] of sent.headers) {
    if (!shown.has(name.toLowerCase())) drifts.push({ file, line: requestLine.line, message: `curl sends a header the page does not show: > ${name}: ${value}` });
  }
  return drifts;
}
