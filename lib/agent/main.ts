import { KubeClient } from '../client/kube-client';
import { ConfigError } from '../config/parse-env';
import { startAgent } from './agent';
import { hostCapacity, hostName, loadAgentConfig, type AgentConfig } from './agent-config';
import { containerProbes } from './container-probes';
import { readInstance } from './ec2/instance-identity';
import { agentApiToken } from './ec2/node-api-token';
import { ec2TableAccess } from './node/ec2-direct-heartbeat';
import type { NodeIdentity } from './node-identity';
import { OciRuntime } from './runtime/oci-runtime';
import { ProcessRuntime } from './runtime/process-runtime';
import { serveAgentOn } from './serve-agent';

/**
 * The node agent as its own process: what systemd runs on every EC2 node (the launch template's
 * user data installs it), configured by environment (agent-config.ts). SIGTERM stops following
 * pods but leaves them running: a restarted agent takes them over (docs/agent.md).
 */
async function main(): Promise<void> {
  const config = loadAgentConfig();
  const instance = config.identity === 'ec2' ? await readInstance() : undefined;
  const identity = instance?.identity ?? hostIdentity();
  const token = agentApiToken(config, instance);
  // On EC2 the Lease's renewals go straight to the agent's heartbeat item, and its pods are followed
  // by their change marker instead of a watch (docs/agent.md, "Heartbeats", "Following pods on AWS").
  const table =
    instance && config.tableName
      ? await ec2TableAccess({
          tableName: config.tableName,
          region: instance.region,
          credentials: instance.credentials,
          metadata: instance.metadata,
        })
      : undefined;
  const directHeartbeat = table?.heartbeat;
  const runtime =
    config.runtime === 'container'
      ? new OciRuntime({ engine: config.engine, dataDir: config.dataDir })
      : new ProcessRuntime({ dataDir: config.dataDir });
  const logError = (message: string, error: unknown) => console.error(`agent: ${message}:`, errorText(error));
  const agent = await startAgent({
    client: new KubeClient({
      server: config.apiUrl,
      userAgent: 'skiff-agent/0.1.0',
      ...(token ? { token: token.provider } : {}),
    }),
    identity,
    capacity: hostCapacity(),
    runtimes: { [config.runtime]: runtime },
    defaultRuntime: config.runtime,
    probes: containerProbes(logError),
    serve: serveAgentOn(identity.internalIP, logError),
    ...(table ? { directHeartbeat: table.heartbeat, podChanges: table.podChanges } : {}),
    logError,
  });
  console.log(
    `agent: node ${agent.nodeName} registered with ${config.apiUrl}` +
      `${token ? ` (${token.describe})` : ''}; running its pods (${describe(config)})` +
      `${directHeartbeat ? `; heartbeats to ${directHeartbeat.identity} in ${config.tableName}, pods by change marker` : ''}`,
  );
  const shutdown = () => {
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('agent: stop failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** A node named after this host, for running the agent by hand on a machine of one's own. */
function hostIdentity(): NodeIdentity {
  const name = hostName();
  return {
    nodeName: name,
    providerID: `local:///local-a/${name}`,
    zone: 'local-a',
    instanceType: 'host',
    capacityType: 'on-demand',
    internalIP: '127.0.0.1',
    hostname: name,
    architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
  };
}

function describe(config: AgentConfig): string {
  return config.runtime === 'container' ? `container runtime on ${config.engine}` : 'process runtime';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
