// `--step`: wait for Enter before each request, so an attendee can read what is about to be sent.
// zx's question() does the asking (loaded only when --step is used: zx is large to start).

import type { Printer } from './output.js';

export async function waitForEnter(printer: Printer, nextRequest: string): Promise<void> {
  if (!process.stdin.isTTY) return;
  printer.say(`  next: ${nextRequest}`);
  const { question } = await import('zx');
  await question(printer.color ? '\x1b[2m  ⏎ Enter sends the next request…\x1b[0m' : '  Enter sends the next request…');
}
