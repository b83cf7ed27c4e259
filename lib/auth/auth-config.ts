import * as z from 'zod';
import { SKIFF_CLUSTER_NAME } from '../config/env-names';
import { parseEnv } from '../config/parse-env';

/**
 * The environment the authorizer and the API function authenticate with, set by
 * infra/constructs/object-api.ts. The names live here, beside their only reader, and infra
 * imports them (env-names.ts holds the ones many functions share).
 */

/** The deploying principal's ARN (an IAM user or role; an assumed-role ARN means its role): cluster admin. */
export const SKIFF_ADMIN_PRINCIPAL_ARN = 'SKIFF_ADMIN_PRINCIPAL_ARN';
/** The nodes' instance role ARN: its sessions are nodes, named by the instance id they carry. */
export const SKIFF_NODE_ROLE_ARN = 'SKIFF_NODE_ROLE_ARN';
/**
 * Where the token verifier sends its GetCallerIdentity call instead of the token's STS host
 * (moto, LocalStack). Unset: AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL (which LocalStack sets
 * on its functions), then the token's own host, as on AWS.
 */
export const SKIFF_STS_ENDPOINT = 'SKIFF_STS_ENDPOINT';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const AuthEnv = z.object({
  [SKIFF_CLUSTER_NAME]: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  [SKIFF_ADMIN_PRINCIPAL_ARN]: optionalText,
  [SKIFF_NODE_ROLE_ARN]: optionalText,
  [SKIFF_STS_ENDPOINT]: optionalText,
  AWS_ENDPOINT_URL_STS: optionalText,
  AWS_ENDPOINT_URL: optionalText,
});

export interface AuthConfig {
  /** Tokens must be minted for this name (`aws eks get-token --cluster-name`). */
  clusterName: string;
  adminPrincipalArn?: string;
  nodeRoleArn?: string;
  stsEndpointOverride?: string;
}

/** Reads the authentication settings once at cold start; throws ConfigError naming what is wrong. */
export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const parsed = parseEnv(AuthEnv, env);
  const sts = parsed[SKIFF_STS_ENDPOINT] ?? parsed.AWS_ENDPOINT_URL_STS ?? parsed.AWS_ENDPOINT_URL;
  return {
    clusterName: parsed[SKIFF_CLUSTER_NAME],
    ...(parsed[SKIFF_ADMIN_PRINCIPAL_ARN] ? { adminPrincipalArn: parsed[SKIFF_ADMIN_PRINCIPAL_ARN] } : {}),
    ...(parsed[SKIFF_NODE_ROLE_ARN] ? { nodeRoleArn: parsed[SKIFF_NODE_ROLE_ARN] } : {}),
    ...(sts ? { stsEndpointOverride: sts } : {}),
  };
}
