import { resolve } from 'node:path';

/** The repository root, where the engine caches (.cache/, .venv/) and scripts live. */
export const PROJECT_ROOT = resolve(__dirname, '../../..');
