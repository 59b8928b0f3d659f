// `deck` (bin/deck): the lab kit's decK for DB-less gateways.
import { createInterface } from 'node:readline';
import { recordedClassEnvironment } from '../classroom/deck-lookup.js';
import { runDeck } from './cli/run-deck.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readLine(): Promise<string | null> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve(null);
    });
  });
}

process.exitCode = await runDeck(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  classEnvironment: recordedClassEnvironment,
  readStdin,
  readLine,
});
