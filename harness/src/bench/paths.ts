// Where the repository and the bench's child-process scripts are, wherever the bench is run from.

import { fileURLToPath } from 'node:url';

export { REPO_ROOT } from '../constants.js';
export const PROCESSES_DIR = fileURLToPath(new URL('./processes/', import.meta.url));
