import type { AgentOptions } from './agent';
import { startAgentServer } from './server/agent-server';

/**
 * The agent's server on `host` (127.0.0.1 for a local node, the instance's private address on
 * EC2), serving the logs of the pods the agent runs from each pod's own runtime.
 */
export function serveAgentOn(
  host: string,
  logError?: AgentOptions['logError'],
): NonNullable<AgentOptions['serve']> {
  return (agent) =>
    startAgentServer({
      host,
      findPod(namespace, name) {
        const found = agent.findPod(namespace, name);
        if (!found) return undefined;
        const { pod, runtime } = found;
        const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
        return { uid: pod.metadata.uid ?? '', containers, runtime };
      },
      logError,
    });
}
