import * as z from 'zod';
import type { Subnet } from '../cloud/ec2/ec2-node-provider';
import { AWS_REGION, SKIFF_LAUNCH_TEMPLATE_ID, SKIFF_SUBNETS, SKIFF_TABLE_NAME } from './env-names';
import { parseEnv } from './parse-env';
import { SubnetList } from './scheduler-config';

const requiredName = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'must not be empty');

/**
 * The API function's environment, as infra/constructs/object-api.ts sets it. The launch template
 * and subnets are set only when the stack enables the dry run (ObjectApi.enableDryRun); AWS_REGION
 * is the Lambda runtime's.
 */
const ApiEnv = z
  .object({
    [SKIFF_TABLE_NAME]: requiredName,
    [SKIFF_LAUNCH_TEMPLATE_ID]: z.string().min(1, 'must not be empty').optional(),
    [SKIFF_SUBNETS]: SubnetList,
    [AWS_REGION]: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env[SKIFF_LAUNCH_TEMPLATE_ID] !== undefined && !env[AWS_REGION])
      ctx.addIssue({ code: 'custom', path: [AWS_REGION], message: 'is required for the dry run' });
  });

/** What the API function needs to know about its deployment. */
export interface ApiConfig {
  /** The object table's name. */
  tableName: string;
  /** The scheduler's dry run over the EC2 catalogue; absent where the stack did not enable it. */
  dryRun?: DryRunConfig;
}

/** The cluster's capacity as the dry run plans it: the schedule function's view, catalogue only. */
export interface DryRunConfig {
  /** Only because the EC2 adapter's constructor asks for one: the dry run never launches. */
  launchTemplateId: string;
  subnets: Subnet[];
  /** Whose on-demand prices are read. */
  region: string;
}

/**
 * Reads the API function's configuration from the environment; throws ConfigError naming each
 * missing or empty variable. AWS endpoints are not part of it: the SDK reads AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_DYNAMODB itself (see env-names.ts).
 */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = parseEnv(ApiEnv, env);
  const launchTemplateId = parsed[SKIFF_LAUNCH_TEMPLATE_ID];
  const region = parsed[AWS_REGION];
  return {
    tableName: parsed[SKIFF_TABLE_NAME],
    ...(launchTemplateId !== undefined && region !== undefined
      ? { dryRun: { launchTemplateId, subnets: parsed[SKIFF_SUBNETS], region } }
      : {}),
  };
}
