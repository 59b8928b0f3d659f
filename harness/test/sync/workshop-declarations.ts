// The four declarations of the workshop page, in page order, as the labs keep them.

export { WORKSHOP_STEPS } from '../../../labs/declarations.js';
