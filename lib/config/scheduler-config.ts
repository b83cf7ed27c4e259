import * as z from 'zod';
import type { Subnet } from '../cloud/ec2/ec2-node-provider';
import {
  AWS_REGION,
  SKIFF_CLUSTER_NAME,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from './env-names';
import { parseEnv } from './parse-env';

const required = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'must not be empty');

/**
 * `subnet-0abc:us-east-1a,subnet-0def:us-east-1b`; empty means EC2 picks each zone's default
 * subnet. Infra writes it with subnetsVariable.
 */
export const SubnetList = z
  .string()
  .default('')
  .transform((text, ctx): Subnet[] => {
    const subnets: Subnet[] = [];
    for (const entry of text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [subnetId, zone, ...rest] = entry.split(':');
      if (!subnetId?.startsWith('subnet-') || !zone || rest.length > 0) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not subnet-id:zone` });
        continue;
      }
      subnets.push({ subnetId, zone });
    }
    return subnets;
  });

/** The schedule function's environment, as infra/constructs/capacity.ts sets it. */
const SchedulerEnv = z.object({
  [SKIFF_TABLE_NAME]: required,
  [SKIFF_CLUSTER_NAME]: required,
  [SKIFF_LAUNCH_TEMPLATE_ID]: required,
  [SKIFF_SUBNETS]: SubnetList,
  [AWS_REGION]: required,
});

export interface SchedulerConfig {
  tableName: string;
  clusterName: string;
  launchTemplateId: string;
  subnets: Subnet[];
  /** The function's region (the Lambda runtime's AWS_REGION): whose on-demand prices are read. */
  region: string;
}

/** Reads the schedule function's configuration; throws ConfigError naming each bad variable. */
export function loadSchedulerConfig(env: Record<string, string | undefined> = process.env): SchedulerConfig {
  const parsed = parseEnv(SchedulerEnv, env);
  return {
    tableName: parsed[SKIFF_TABLE_NAME],
    clusterName: parsed[SKIFF_CLUSTER_NAME],
    launchTemplateId: parsed[SKIFF_LAUNCH_TEMPLATE_ID],
    subnets: parsed[SKIFF_SUBNETS],
    region: parsed[AWS_REGION],
  };
}

/** SKIFF_SUBNETS's value for `subnets`, as SubnetList reads it back (infra sets it with this). */
export function subnetsVariable(subnets: readonly Subnet[]): string {
  return subnets.map((subnet) => `${subnet.subnetId}:${subnet.zone}`).join(',');
}

/** The zones of the subnets, each once, in order: where on-demand capacity may launch (none: any). */
export function zonesOf(subnets: readonly Subnet[]): string[] {
  return [...new Set(subnets.map((subnet) => subnet.zone))];
}
