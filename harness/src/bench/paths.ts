// Where the repository and the bench's child-process scripts are, wherever the bench is run from.

import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PROCESSES_DIR = fileURLToPath(new URL('./processes/', import.meta.url));
