import * as z from 'zod';
import { DEFAULT_SERVICE_CIDR, parseServiceCidr } from '../api/service-network/service-cidr';
import { SKIFF_DRY_RUN, SKIFF_SERVICE_CIDR, SKIFF_SUBNETS, SKIFF_TABLE_NAME } from './env-names';
import { parseEnv } from './parse-env';
import { SubnetList, zonesOf } from './scheduler-config';

const requiredName = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'must not be empty');

/**
 * The API function's environment, as infra/constructs/object-api.ts sets it. The dry-run flag and
 * the subnets are set only when the stack enables the dry run (ObjectApi.enableDryRun); the flag
 * says so on its own, since a cluster on the default VPC has no subnets to set.
 */
const ApiEnv = z.object({
  [SKIFF_TABLE_NAME]: requiredName,
  [SKIFF_DRY_RUN]: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  [SKIFF_SUBNETS]: SubnetList,
  [SKIFF_SERVICE_CIDR]: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        if (value) parseServiceCidr(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

/** What the API function needs to know about its deployment. */
export interface ApiConfig {
  /** The object table's name. */
  tableName: string;
  /** The scheduler's dry run over the published catalogue; absent where the stack did not enable it. */
  dryRun?: DryRunConfig;
  /** The IPv4 range Services' ClusterIPs come from (SKIFF_SERVICE_CIDR, default 10.96.0.0/12). */
  serviceCidr: string;
}

/** The cluster's capacity as the dry run plans it: the schedule function's zones. */
export interface DryRunConfig {
  /** Where on-demand capacity may launch (none: every zone the catalogue has spot prices in). */
  zones: string[];
}

/**
 * Reads the API function's configuration from the environment; throws ConfigError naming each
 * missing or empty variable. AWS endpoints are not part of it: the SDK reads AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_DYNAMODB itself (see env-names.ts).
 */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = parseEnv(ApiEnv, env);
  return {
    tableName: parsed[SKIFF_TABLE_NAME],
    serviceCidr: parsed[SKIFF_SERVICE_CIDR] || DEFAULT_SERVICE_CIDR,
    ...(parsed[SKIFF_DRY_RUN] === 'true' ? { dryRun: { zones: zonesOf(parsed[SKIFF_SUBNETS]) } } : {}),
  };
}
