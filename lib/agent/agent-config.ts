import { cpus, hostname, totalmem } from 'node:os';
import * as z from 'zod';
import {
  SKIFF_AGENT_DATA_DIR,
  SKIFF_AGENT_ENGINE,
  SKIFF_AGENT_IDENTITY,
  SKIFF_AGENT_RUNTIME,
  SKIFF_API_URL,
  SKIFF_CLUSTER_NAME,
  SKIFF_TABLE_NAME,
} from '../config/env-names';
import { parseEnv } from '../config/parse-env';
import type { NodeCapacity } from './node/node-manifest';

const AgentEnv = z.object({
  [SKIFF_API_URL]: z.url({
    error: 'must be the API URL, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/prod',
  }),
  [SKIFF_AGENT_IDENTITY]: z.enum(['ec2', 'host']).default('ec2'),
  [SKIFF_AGENT_RUNTIME]: z.enum(['container', 'process']).default('container'),
  [SKIFF_AGENT_ENGINE]: z.string().min(1).default('docker'),
  [SKIFF_AGENT_DATA_DIR]: z.string().min(1).default('/var/lib/skiff'),
  [SKIFF_CLUSTER_NAME]: z.string().min(1).optional(),
  [SKIFF_TABLE_NAME]: z.string().min(1).optional(),
});

/** How a standalone agent (lib/agent/main.ts) runs: read once from its environment. */
export interface AgentConfig {
  apiUrl: string;
  /** `ec2`: identity from instance metadata and tags; `host`: this host's name, for trying it out. */
  identity: 'ec2' | 'host';
  runtime: 'container' | 'process';
  engine: string;
  dataDir: string;
  /**
   * The cluster the agent's API tokens are signed for (the authorizer's cluster name). On EC2
   * it defaults to the instance's `skiff.dev/cluster` tag, and the agent always authenticates
   * with its instance role; with the `host` identity it authenticates (with the SDK's default
   * credentials) only when this is set, so a local agent keeps talking to 127.0.0.1 without one.
   */
  clusterName: string | undefined;
  /**
   * The object table, where an agent on EC2 renews its own heartbeat item with its instance role
   * (lib/agent/node/ec2-direct-heartbeat.ts) instead of PATCHing its Lease through the API. The
   * launch template sets it; without it (or off EC2) renewals go through the API.
   */
  tableName: string | undefined;
}

/** Throws ConfigError naming each invalid variable. */
export function loadAgentConfig(env: Record<string, string | undefined> = process.env): AgentConfig {
  const parsed = parseEnv(AgentEnv, env);
  return {
    apiUrl: parsed[SKIFF_API_URL],
    identity: parsed[SKIFF_AGENT_IDENTITY],
    runtime: parsed[SKIFF_AGENT_RUNTIME],
    engine: parsed[SKIFF_AGENT_ENGINE],
    dataDir: parsed[SKIFF_AGENT_DATA_DIR],
    clusterName: parsed[SKIFF_CLUSTER_NAME],
    tableName: parsed[SKIFF_TABLE_NAME],
  };
}

/** What this machine offers: every CPU and all of its memory (allocatable subtracts the overhead). */
export function hostCapacity(): NodeCapacity {
  return { cpuMillis: cpus().length * 1000, memoryBytes: totalmem() };
}

export function hostName(): string {
  return hostname().toLowerCase();
}
