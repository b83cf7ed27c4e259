import type { NodeProvider } from '../../cloud/node-provider';
import { NodeClaimKind } from '../../kinds/node-claim';
import type { ObjectStore } from '../../store/object-store';
import { listAll } from '../../store/list-all';

/**
 * How old an instance must be before it can be taken for an orphan: a launch whose claim status
 * write is still in flight is not one (Karpenter's AWS garbage collection waits 30 s too).
 */
export const ORPHAN_GRACE_SECONDS = 30;

/**
 * Karpenter's instance garbage collection: terminates the live instances tagged for this cluster
 * and for a claim whose uid no NodeClaim has (a claim deleted while its launch was in flight, or
 * whose finalizer was removed by hand), once older than ORPHAN_GRACE_SECONDS. Instances tagged
 * for the cluster but for no claim were made by hand and are left alone, as are those already
 * shutting down. Instances are listed before claims, so a claim created after the listing can
 * only own an instance the listing did not see. Answers the ids terminated, sorted.
 */
export async function collectOrphanInstances(
  store: ObjectStore,
  provider: NodeProvider,
  clusterName: string,
  now: Date,
): Promise<string[]> {
  const instances = await provider.list(clusterName);
  const claimUids = new Set((await listAll(store, NodeClaimKind)).map((claim) => claim.metadata.uid));
  const orphans = instances
    .filter(
      (instance) =>
        instance.claimUid !== undefined &&
        !claimUids.has(instance.claimUid) &&
        instance.state !== 'shutting-down' &&
        now.getTime() - instance.launchTime.getTime() > ORPHAN_GRACE_SECONDS * 1000,
    )
    .map((instance) => instance.instanceId)
    .sort();
  if (orphans.length > 0) await provider.terminate(orphans);
  return orphans;
}
