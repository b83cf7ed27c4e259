import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './engines/project-root';

/**
 * The remote test target: a deployed Skiff (on LocalStack, or AWS) that the API and controller
 * end-to-end suites run against instead of an in-process `npm start` (docs/localstack.md).
 *
 * - `SKIFF_API_URL=<url>`: the API's base URL, e.g. LocalStack's
 *   `http://127.0.0.1:4566/_aws/execute-api/<id>/prod`;
 * - `SKIFF_TARGET=localstack`: the URL `npm run localstack:deploy` wrote to .localstack/outputs.json.
 *
 * `SKIFF_API_TOKEN` is sent as the bearer token when set (a deployed API that authenticates).
 */
export const LOCALSTACK_OUTPUTS = join(PROJECT_ROOT, '.localstack/outputs.json');

export interface RemoteTarget {
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  /** LocalStack's (or AWS's) endpoint, for SDK clients of the deployed table; undefined for a bare URL. */
  awsEndpoint?: string;
  /** The bearer token requests carry, when the target wants one. */
  token?: string;
}

interface LocalStackOutputs {
  LocalApiUrl: string;
  Endpoint: string;
}

/** The remote target named by the environment, or undefined: the suites start a local server. */
export function remoteTarget(env: NodeJS.ProcessEnv = process.env): RemoteTarget | undefined {
  const token = env.SKIFF_API_TOKEN || undefined;
  if (env.SKIFF_API_URL) return { apiUrl: env.SKIFF_API_URL.replace(/\/+$/, ''), token };
  if (env.SKIFF_TARGET === undefined || env.SKIFF_TARGET === '' || env.SKIFF_TARGET === 'local')
    return undefined;
  if (env.SKIFF_TARGET !== 'localstack') {
    throw new Error(`SKIFF_TARGET=${env.SKIFF_TARGET}: expected localstack (or SKIFF_API_URL=<url>)`);
  }
  if (!existsSync(LOCALSTACK_OUTPUTS)) {
    throw new Error(
      `SKIFF_TARGET=localstack: ${LOCALSTACK_OUTPUTS} is missing; run npm run localstack:deploy`,
    );
  }
  const outputs = JSON.parse(readFileSync(LOCALSTACK_OUTPUTS, 'utf8')) as LocalStackOutputs;
  return { apiUrl: outputs.LocalApiUrl.replace(/\/+$/, ''), awsEndpoint: outputs.Endpoint, token };
}
