import type { KubeObject } from '../../kinds/meta';
import { durationSeconds } from '../../kinds/capacity-duration';
import { NodeKind } from '../../kinds/node';
import { NodeClaimKind, type NodeClaim } from '../../kinds/node-claim';
import type { ReconcileContext, ReconcileResult } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { TERMINATION_FINALIZER, type ClaimEnvironment } from './claim-environment';
import { nodeOfClaim } from './stored-objects';

/** How often a claim waiting for its Node's finalizers looks again (the Node's removal also wakes it). */
export const NODE_GONE_POLL_SECONDS = 30;

/**
 * Finalizes a claim being deleted (Karpenter's termination): deletes its Node, waits while the
 * Node's own finalizers hold it (whoever drains it), terminates the instance, then removes the
 * `karpenter.sh/termination` finalizer so the claim goes. Every step counts "already gone" as
 * done, so a retry after any crash finishes the job. spec.terminationGracePeriod, when set,
 * bounds the wait for the Node.
 */
export async function terminateClaim(
  claim: NodeClaim,
  context: ReconcileContext,
  env: ClaimEnvironment,
): Promise<ReconcileResult> {
  if (!(claim.metadata.finalizers ?? []).includes(TERMINATION_FINALIZER)) return {};
  const { store, events } = context;
  const node = await nodeOfClaim(store, claim);
  if (node !== undefined) {
    if (node.metadata.deletionTimestamp === undefined)
      await deleteIfPresent(store, NodeKind, node as KubeObject);
    const remaining = await nodeOfClaim(store, claim);
    if (remaining !== undefined && !graceOver(claim, context.now()))
      return { requeueAfterSeconds: NODE_GONE_POLL_SECONDS };
  }
  const instanceIds = await instancesOf(claim, env);
  if (instanceIds.length > 0) await env.provider.terminate(instanceIds);
  const done = [
    instanceIds.length > 0 ? `terminated instance ${instanceIds.join(', ')}` : 'no instance to terminate',
    node !== undefined ? `deleted node ${node.metadata.name ?? ''}` : undefined,
  ].filter((part) => part !== undefined);
  await events.record(claim as KubeObject, 'Normal', 'Terminated', capitalize(done.join('; ')));
  await store.update(NodeClaimKind, {
    ...(claim as KubeObject),
    metadata: {
      ...claim.metadata,
      finalizers: (claim.metadata.finalizers ?? []).filter(
        (finalizer) => finalizer !== TERMINATION_FINALIZER,
      ),
    },
  });
  return {};
}

/**
 * The claim's instances: the one its status names and every live one the provider has tagged with
 * the claim's uid. A retried launch whose first attempt's status write was lost may have made a
 * second (the fleet token covers its offerings, which a fallback changes), and orphan collection
 * spares instances of live claims: the claim's end is where both go.
 */
async function instancesOf(claim: NodeClaim, env: ClaimEnvironment): Promise<string[]> {
  const ids = new Set<string>(claim.status.instanceId !== undefined ? [claim.status.instanceId] : []);
  const uid = claim.metadata.uid;
  if (uid !== undefined)
    for (const instance of await env.provider.list(env.clusterName))
      if (instance.claimUid === uid) ids.add(instance.instanceId);
  return [...ids].sort();
}

/** Whether spec.terminationGracePeriod has passed since the claim's deletion began. */
function graceOver(claim: NodeClaim, now: Date): boolean {
  const grace = claim.spec.terminationGracePeriod;
  const since = claim.metadata.deletionTimestamp;
  if (grace === undefined || since === undefined) return false;
  return now.getTime() - Date.parse(since) >= (durationSeconds(grace) ?? Infinity) * 1000;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
