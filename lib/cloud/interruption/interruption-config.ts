import * as z from 'zod';
import { SKIFF_TABLE_NAME } from '../../config/env-names';
import { parseEnv } from '../../config/parse-env';

const InterruptionEnv = z.object({
  [SKIFF_TABLE_NAME]: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'must not be empty'),
});

/** What the interruption function needs to know about its deployment: only where the objects are. */
export interface InterruptionConfig {
  tableName: string;
}

/**
 * Reads the interruption function's configuration from the environment; throws ConfigError naming
 * a missing or empty variable. The DynamoDB endpoint comes from AWS_ENDPOINT_URL[_DYNAMODB], read
 * by the SDK.
 */
export function loadInterruptionConfig(
  env: Record<string, string | undefined> = process.env,
): InterruptionConfig {
  return { tableName: parseEnv(InterruptionEnv, env)[SKIFF_TABLE_NAME] };
}
