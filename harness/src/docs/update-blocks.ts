// --update: a drifted output block rewritten with what came back, keeping what still holds: masked values
// as the page shows them, the page's header order, its body when the body did not drift.

import { readFileSync, writeFileSync } from 'node:fs';
import { compareResponse, headerValueProblem, responseOrigin, windowSecondsOf } from './compare-response.js';
import { canonicalHeaderName, type ActualResponse } from './http-exchange.js';
import { headerMask } from './masks.js';
import type { CurlRequest, DocumentedResponse, DocumentedText } from './types.js';

/** Replace the page's lines `from`…`to` (1-based, inclusive) by `lines`. */
export interface BlockRewrite {
  from: number;
  to: number;
  lines: string[];
}

/** Undefined for `curl -v` blocks, whose `*` lines and layout cannot be rebuilt faithfully. */
export function rewriteResponseBlock(documented: DocumentedResponse, actual: ActualResponse, shows: CurlRequest['shows']): BlockRewrite | undefined {
  if (documented.request) return undefined;
  const origin = responseOrigin(actual);
  const windowSeconds = windowSecondsOf(documented);
  const lines: string[] = [];
  let keptRequestId: string | undefined;
  if (documented.statusLine) {
    lines.push(actual.statusLine);
    // The page's headers in the page's order (masked values as shown); a header new in the answer goes right
    // after the one the answer sent before it.
    const kept: Array<{ key: string; text: string }> = [];
    const used = new Map<string, number>();
    const valuesOf = (name: string): string[] => actual.headers.filter(([header]) => header.toLowerCase() === name).map(([, value]) => value);
    for (const header of documented.headers) {
      const key = header.name.toLowerCase();
      const occurrence = used.get(key) ?? 0;
      used.set(key, occurrence + 1);
      const value = valuesOf(key)[occurrence];
      if (headerMask(header.name, origin)?.rule.kind === 'upstream-only') {
        kept.push({ key, text: `${header.name}: ${header.value}` });
        continue;
      }
      if (value === undefined) continue;
      const holds = !headerValueProblem(header.name, header.value, value, origin, windowSeconds);
      if (holds && key === 'x-kong-request-id') keptRequestId = header.value;
      kept.push({ key, text: `${header.name}: ${holds ? header.value : value}` });
    }
    const seen = new Map<string, number>();
    let previous: string | undefined;
    for (const [name, value] of actual.headers) {
      const key = name.toLowerCase();
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      if (index < (used.get(key) ?? 0) || headerMask(name, origin)?.rule.kind === 'upstream-only') {
        previous = key;
        continue;
      }
      const after = previous === undefined ? -1 : kept.map((entry) => entry.key).lastIndexOf(previous);
      kept.splice(after + 1, 0, { key, text: `${canonicalHeaderName(name)}: ${value}` });
      previous = key;
    }
    lines.push(...kept.map((entry) => entry.text));
  }
  if (shows.body) {
    const bodyHolds = documented.body !== undefined && compareResponse(documented, actual, { headers: false, body: true }).length === 0;
    const actualId = actual.headers.find(([name]) => name.toLowerCase() === 'x-kong-request-id')?.[1];
    // A new body quotes the request id the page keeps showing in its header, so the two still agree.
    const fresh = keptRequestId && actualId ? actual.body.trim().split(actualId).join(keptRequestId) : actual.body.trim();
    const body = bodyHolds ? documented.body!.text : fresh;
    if (body !== '') {
      if (documented.statusLine) lines.push('');
      lines.push(...body.split('\n'));
    }
  }
  return { from: documented.firstLine, to: documented.lastLine, lines };
}

/** decK's lines, jq's output, a loop's codes: the block becomes what was printed. */
export function rewriteDeckBlock(documented: DocumentedText, printed: string): BlockRewrite {
  return { from: documented.firstLine, to: documented.lastLine, lines: printed.replace(/\n+$/, '').split('\n') };
}

/** Applies the rewrites to the file, bottom first so that earlier line numbers stay valid. Returns how many. */
export function applyRewrites(path: string, rewrites: BlockRewrite[]): number {
  if (rewrites.length === 0) return 0;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  for (const rewrite of [...rewrites].sort((a, b) => b.from - a.from)) lines.splice(rewrite.from - 1, rewrite.to - rewrite.from + 1, ...rewrite.lines);
  writeFileSync(path, lines.join('\n'));
  return rewrites.length;
}
