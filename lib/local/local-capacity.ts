import { LOCAL_ZONE, LocalNodeProvider } from '../cloud/local/local-node-provider';
import { nodeClaimController } from '../controllers/node-claim/node-claim-controller';
import { collectOrphanInstances } from '../controllers/node-claim/orphan-instances';
import type { Controller } from '../controllers/controller';
import type { ObjectStore } from '../store/object-store';
import type { LocalCapacityOptions } from './local-runtime';
import { LocalNodeRegistrar } from './local-nodes';

/**
 * The embedded cluster's capacity: the local provider (instances in this process), the
 * registration of their Nodes, and the NodeClaim controller that launches and retires them.
 */
export function localCapacity(
  options: LocalCapacityOptions,
  store: () => ObjectStore,
  logError?: (message: string, error: unknown) => void,
) {
  const registrar: LocalNodeRegistrar = new LocalNodeRegistrar({
    store,
    instanceTypes: () => provider.catalogue(),
    now: options.now,
    logError,
  });
  const provider = new LocalNodeProvider({
    instanceTypes: options.instanceTypes,
    capacity: options.instanceLimits,
    onLaunch: registrar.launched,
    onTerminate: registrar.terminated,
    now: options.now,
  });
  const clusterName = options.clusterName ?? 'local';
  const controllers: Controller[] = [nodeClaimController({ provider, clusterName, zones: [LOCAL_ZONE] })];
  return {
    provider,
    registrar,
    clusterName,
    controllers,
    /** The minute tick's garbage collection: instances no claim owns are ended. */
    onTick: async () => {
      await collectOrphanInstances(store(), provider, clusterName, options.now?.() ?? new Date());
    },
  };
}
