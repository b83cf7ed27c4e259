import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root';
import type { RunningEngine } from './running-engine';
import { spawnServer } from './spawn-server';

/** The moto_server that scripts/engines/install-moto.sh installs. */
export const MOTO_SERVER = join(PROJECT_ROOT, '.venv', 'moto', 'bin', 'moto_server');

/**
 * Starts moto server on a loopback port. One moto serves every AWS service it mocks (DynamoDB for
 * the store tests, EC2 for the cloud adapter), told apart by the request's signing scope.
 */
export async function startMoto(): Promise<RunningEngine> {
  if (!existsSync(MOTO_SERVER)) {
    throw new Error(`moto is not installed at ${MOTO_SERVER}: run npm run engines:fetch`);
  }
  return spawnServer({
    name: 'moto',
    command: (port) => ({ file: MOTO_SERVER, args: ['-H', '127.0.0.1', '-p', String(port)] }),
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
    readyTimeoutMs: 60_000,
  });
}
