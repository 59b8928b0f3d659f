// The workshop page's declarations as the labs keep them (labs/NN-slug/key-auth.yaml): the one place tests read
// them from. Labs 2–5 are the page's four declarations, verbatim and in page order (labs/test/declarations.test.ts
// holds them to the page).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LABS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The declaration of lab `step`, as its key-auth.yaml holds it. */
export function labDeclaration(step: number): string {
  const prefix = `${String(step).padStart(2, '0')}-`;
  const folder = readdirSync(LABS_DIR).find((name) => name.startsWith(prefix));
  if (!folder) throw new Error(`no lab folder labs/${prefix}*`);
  return readFileSync(join(LABS_DIR, folder, 'key-auth.yaml'), 'utf8');
}

/** The page's four declarations, in page order: key-auth on the service, consumer1, consumer2, rate limits. */
export const WORKSHOP_STEPS: readonly string[] = [2, 3, 4, 5].map(labDeclaration);
