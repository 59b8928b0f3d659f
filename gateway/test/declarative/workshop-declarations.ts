// The four declarations of the workshop page (API Key Authentication), as the labs keep them. decK strips
// `_konnect` and `_info` before sending; `withoutDeckKeys` does the same for the loader.

import { parseDeclarativeText } from '../../src/declarative/parse.js';
import { WORKSHOP_STEPS } from '../../../labs/declarations.js';

const [keyAuthOnRoute, firstConsumer, secondConsumer, consumerRateLimits] = WORKSHOP_STEPS;

export { keyAuthOnRoute, firstConsumer, secondConsumer, consumerRateLimits };

export const WORKSHOP_DECLARATIONS = { keyAuthOnRoute, firstConsumer, secondConsumer, consumerRateLimits } as const;

/** Parses a declaration and drops the keys decK consumes itself. */
export function withoutDeckKeys(text: string): Record<string, unknown> {
  const document = parseDeclarativeText(text) as Record<string, unknown>;
  delete document._konnect;
  delete document._info;
  return document;
}
