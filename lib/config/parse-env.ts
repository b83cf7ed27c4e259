import type { z } from 'zod';

/** The environment did not hold a valid configuration; the message names every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses environment variables with a zod schema, once, at cold start: a misconfigured function
 * fails its first invocation with a message naming the variables rather than misbehaving later.
 *
 * @example parseEnv(z.object({ SKIFF_TABLE_NAME: z.string() }), process.env)
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'} ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
