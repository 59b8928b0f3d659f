// The gateway `npm run reset` and `npm run goto` work on: the recorded environment, or one named.

import type { TargetFlags } from '../../classroom/commands/reset.js';
import { UsageError } from '../../errors/command-error.js';

export const TARGET_OPTIONS = { 'admin-url': { type: 'string' }, 'proxy-url': { type: 'string' } } as const;

export const TARGET_USAGE_LINES = [
  '  --admin-url URL    work on this gateway instead of the one npm run up started (e.g. a real Kong)',
  '  --proxy-url URL    its proxy, to print the curl commands with',
  '  -h, --help         this help',
];

export function readTargetFlags(values: { 'admin-url'?: string; 'proxy-url'?: string }): TargetFlags {
  for (const flag of ['admin-url', 'proxy-url'] as const) {
    const url = values[flag];
    if (url !== undefined && !/^https?:\/\/\S+$/i.test(url)) throw new UsageError(`--${flag} must be an http:// or https:// URL`);
  }
  return { adminUrl: values['admin-url'], proxyUrl: values['proxy-url'] };
}
