import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENGINE_NAMES } from './engines/running-engine';
import { TEST_ENGINES_ENV, testEngines } from './engines/test-engines';
import { remoteTarget } from './remote-target';

/** A DynamoDB endpoint outside this run (LocalStack's, say) that the engine suites also run against. */
export const DYNAMODB_ENDPOINT_ENV = 'SKIFF_DYNAMODB_ENDPOINT';

/** A DynamoDB engine running for this jest run. */
export interface DynamoEngine {
  name: string;
  endpoint: string;
}

/**
 * The DynamoDB engines available in this run (all three speak DynamoDB: dynalite, DynamoDB Local,
 * moto), for `describe.each(dynamoEngines())('… on $name', ({ endpoint }) => …)`. Throws when there
 * is none, which jest would otherwise report as a puzzling empty `.each` table.
 */
export function dynamoEngines(): DynamoEngine[] {
  const endpoints = testEngines();
  const engines: DynamoEngine[] = ENGINE_NAMES.flatMap((name) => {
    const endpoint = endpoints[name];
    return endpoint === undefined ? [] : [{ name, endpoint }];
  });
  // $SKIFF_DYNAMODB_ENDPOINT, else the remote target's (SKIFF_TARGET=localstack: LocalStack's DynamoDB).
  const external = process.env[DYNAMODB_ENDPOINT_ENV] || remoteTarget()?.awsEndpoint;
  if (external) engines.push({ name: `endpoint ${external}`, endpoint: external });
  if (engines.length === 0) {
    throw new Error(
      `no DynamoDB engine is running in this jest run (${TEST_ENGINES_ENV}=${process.env[TEST_ENGINES_ENV]}) and ${DYNAMODB_ENDPOINT_ENV} is not set`,
    );
  }
  return engines;
}

/**
 * A client for one test engine: region us-east-1 and dummy static credentials, which every engine
 * accepts and which keep the SDK from looking for real ones.
 */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/**
 * A table name no other test file uses, since every test file shares the run's engines:
 * `<prefix>-<time>-<random>`, within DynamoDB's naming rules.
 */
export function uniqueTableName(prefix: string): string {
  const safe = prefix.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 200);
  return `${safe}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * `describe.each` over the run's engines that `keep` selects (those with transactions, or the one
 * that reports consumed capacity), or one skipped describe when the run has none of them.
 *
 * @example describeEachEngine((e) => e.name === 'dynamodb-local')('reads on $name', ({ endpoint }) => …)
 */
export function describeEachEngine(keep: (engine: DynamoEngine) => boolean) {
  const engines = dynamoEngines().filter(keep);
  return engines.length > 0
    ? describe.each(engines)
    : describe.skip.each([{ name: 'no engine', endpoint: '' }]);
}
