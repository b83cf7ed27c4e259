import * as z from 'zod';
import { SKIFF_CLUSTER_NAME } from '../config/env-names';
import { parseEnv } from '../config/parse-env';
import { OperatorGrant } from '../operators/operator-access';

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
/**
 * The operators the stack deploys (infra/constructs/operator.ts), as JSON: each one's name, its
 * function's role and the resources it may touch (lib/operators/operator-access.ts).
 */
export const SKIFF_OPERATORS = 'SKIFF_OPERATORS';

const operatorGrants = z
  .string()
  .optional()
  .transform((value, context) => {
    if (!value?.trim()) return [];
    try {
      return z.array(OperatorGrant).parse(JSON.parse(value));
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `is not a list of operator grants: ${(error as Error).message}`,
      });
      return z.NEVER;
    }
  });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const AuthEnv = z.object({
  [SKIFF_CLUSTER_NAME]: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  [SKIFF_ADMIN_PRINCIPAL_ARN]: optionalText,
  [SKIFF_NODE_ROLE_ARN]: optionalText,
  [SKIFF_STS_ENDPOINT]: optionalText,
  [SKIFF_OPERATORS]: operatorGrants,
  AWS_ENDPOINT_URL_STS: optionalText,
  AWS_ENDPOINT_URL: optionalText,
});

export interface AuthConfig {
  /** Tokens must be minted for this name (`aws eks get-token --cluster-name`). */
  clusterName: string;
  adminPrincipalArn?: string;
  nodeRoleArn?: string;
  stsEndpointOverride?: string;
  /** The stack's operators: built-in identities with built-in grants. */
  operators?: OperatorGrant[];
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
    ...(parsed[SKIFF_OPERATORS].length > 0 ? { operators: parsed[SKIFF_OPERATORS] } : {}),
  };
}
