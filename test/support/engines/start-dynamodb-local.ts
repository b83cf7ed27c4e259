import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root';
import type { RunningEngine } from './running-engine';
import { spawnServer } from './spawn-server';

/** Where scripts/engines/fetch-dynamodb-local.sh puts the jars and the sqlite4java native library. */
export const DYNAMODB_LOCAL_DIR = join(PROJECT_ROOT, '.cache', 'dynamodb-local');

/**
 * Starts DynamoDB Local (Amazon's engine, the one LocalStack runs) in memory on a loopback port,
 * through the fetch script's launcher: ServerRunner itself would listen on every interface.
 * Telemetry is off, so it never calls out.
 */
export async function startDynamoDbLocal(): Promise<RunningEngine> {
  const launcher = join(DYNAMODB_LOCAL_DIR, 'launcher');
  if (!existsSync(join(launcher, 'SkiffDynamoDBLocal.class'))) {
    throw new Error(`DynamoDB Local is not fetched into ${DYNAMODB_LOCAL_DIR}: run npm run engines:fetch`);
  }
  return spawnServer({
    name: 'dynamodb-local',
    command: (port) => ({
      file: 'java',
      args: [
        `-Djava.library.path=${DYNAMODB_LOCAL_DIR}`,
        // Tests are short-lived: start fast rather than peak fast.
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-cp',
        `${launcher}:${DYNAMODB_LOCAL_DIR}/*`,
        'SkiffDynamoDBLocal',
        '-inMemory',
        '-disableTelemetry',
        '-port',
        String(port),
      ],
    }),
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    readyTimeoutMs: 60_000,
  });
}
