// `--step`: wait for Enter before each request, so an attendee can read what is about to be sent.

import { createInterface } from 'node:readline/promises';
import type { Printer } from './output.js';

export async function waitForEnter(printer: Printer, nextRequest: string): Promise<void> {
  if (!process.stdin.isTTY) return;
  printer.say(`  next: ${nextRequest}`);
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    await prompt.question(printer.color ? '\x1b[2m  ⏎ Enter sends the next request…\x1b[0m' : '  Enter sends the next request…');
  } finally {
    prompt.close();
  }
}
