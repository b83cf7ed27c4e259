import * as z from 'zod';
import { SKIFF_TABLE_NAME } from './env-names';
import { parseEnv } from './parse-env';

const requiredName = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'must not be empty');

/** The API function's environment, as infra/constructs/object-api.ts sets it. */
const ApiEnv = z.object({ [SKIFF_TABLE_NAME]: requiredName });

/** What the API function needs to know about its deployment. */
export interface ApiConfig {
  /** The object table's name. */
  tableName: string;
}

/**
 * Reads the API function's configuration from the environment; throws ConfigError naming each
 * missing or empty variable. AWS endpoints are not part of it: the SDK reads AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_DYNAMODB itself (see env-names.ts).
 */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = parseEnv(ApiEnv, env);
  return { tableName: parsed[SKIFF_TABLE_NAME] };
}
