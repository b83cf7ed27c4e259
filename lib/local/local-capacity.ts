import { LOCAL_ZONE, LocalNodeProvider } from '../cloud/local/local-node-provider';
import { nodeClaimController } from '../controllers/node-claim/node-claim-controller';
import { collectOrphanInstances } from '../controllers/node-claim/orphan-instances';
import type { Controller } from '../controllers/controller';
import type { ObjectStore } from '../store/object-store';
import type { LocalCapacityOptions } from './local-runtime';
import { LocalAgents } from './local-agents';

/**
 * The embedded cluster's capacity: the local provider (instances in this process), a node agent
 * for each instance it launches (local-agents.ts), and the NodeClaim controller that launches and
 * retires them.
 */
export function localCapacity(
  options: LocalCapacityOptions,
  store: () => ObjectStore,
  logError?: (message: string, error: unknown) => void,
) {
  const agents: LocalAgents = new LocalAgents({
    ...options.nodes,
    store,
    instanceTypes: () => provider.catalogue(),
    logError,
  });
  const provider = new LocalNodeProvider({
    instanceTypes: options.instanceTypes,
    capacity: options.instanceLimits,
    onLaunch: agents.launched,
    onTerminate: agents.terminated,
    stateFile: options.nodes.instancesFile,
    now: options.now,
  });
  const clusterName = options.clusterName ?? 'local';
  const controllers: Controller[] = [nodeClaimController({ provider, clusterName, zones: [LOCAL_ZONE] })];
  return {
    provider,
    agents,
    clusterName,
    controllers,
    /** The minute tick's garbage collection: instances no claim owns are ended. */
    onTick: async () => {
      await collectOrphanInstances(store(), provider, clusterName, options.now?.() ?? new Date());
    },
  };
}
