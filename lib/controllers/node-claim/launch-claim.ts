import { InsufficientCapacityError, type LaunchResult } from '../../cloud/node-provider';
import type { KubeObject } from '../../kinds/meta';
import { NodeClaim, NodeClaimKind } from '../../kinds/node-claim';
import { offeringsOf } from '../../scheduling/snapshot/capacity-objects';
import { deepEqual } from '../../store/deep-equal';
import type { ReconcileContext, ReconcileResult } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { withConditions } from './claim-conditions';
import type { ClaimEnvironment } from './claim-environment';
import { launchOfferings, launchZones } from './launch-offerings';
import { isFallback, launchedLabels, launchMessage, nodeResources, providerIdOf } from './launched-instance';
import { nodeLifecycle } from './node-lifecycle';

/**
 * Launches a claim's instance (Karpenter's launch step). The provider's launch is idempotent by
 * claim uid, so a reconcile that dies after launching and before writing status launches nothing
 * new when retried: it finds the instance and writes what it missed.
 */
export async function launchClaim(
  claim: NodeClaim,
  context: ReconcileContext,
  env: ClaimEnvironment,
): Promise<ReconcileResult> {
  const now = context.now();
  const catalogue = await env.catalogue.get(now);
  const offerings = launchOfferings(claim.spec, offeringsOf(catalogue, env.zones ?? launchZones(catalogue)));
  let launched: LaunchResult;
  try {
    launched = await env.provider.launch({
      claimUid: claim.metadata.uid ?? '',
      claimName: claim.metadata.name ?? '',
      poolName: claim.spec.nodePool ?? '',
      clusterName: env.clusterName,
      offerings,
    });
  } catch (error) {
    if (error instanceof InsufficientCapacityError) return giveUp(claim, error, context);
    throw error;
  }
  const labeled = await withLaunchedLabels(claim, launched, context);
  const type = catalogue.find((candidate) => candidate.name === launched.instanceType);
  const message = launchMessage(claim, launched);
  const status = {
    ...labeled.status,
    instanceId: launched.instanceId,
    providerID: providerIdOf(launched),
    ...(type !== undefined ? nodeResources(type) : {}),
    conditions: withConditions(
      labeled,
      [
        { type: 'Launched', status: 'True', reason: 'Launched', message },
        ...nodeLifecycle(labeled, undefined).changes,
      ],
      now,
    ),
  };
  await context.store.updateStatus(NodeClaimKind, { ...(labeled as KubeObject), status });
  await context.events.record(
    labeled as KubeObject,
    'Normal',
    isFallback(claim, launched) ? 'LaunchedOnFallback' : 'Launched',
    message,
  );
  return { requeueAfterSeconds: env.registrationTimeoutSeconds };
}

/** Writes the launched type, capacity type and zone into the claim's labels, if they are not there yet. */
async function withLaunchedLabels(
  claim: NodeClaim,
  launched: LaunchResult,
  { store }: ReconcileContext,
): Promise<NodeClaim> {
  const labels = launchedLabels(claim, launched);
  if (deepEqual(labels, claim.metadata.labels ?? {})) return claim;
  const updated = await store.update(NodeClaimKind, {
    ...(claim as KubeObject),
    metadata: { ...claim.metadata, labels },
  });
  return NodeClaim.parse(updated);
}

/**
 * No offering had capacity: say so on the claim and delete it, as Karpenter does, so the
 * scheduler's next round plans again without the offerings the provider now knows are sold out.
 */
async function giveUp(
  claim: NodeClaim,
  error: InsufficientCapacityError,
  { store, events, now }: ReconcileContext,
): Promise<ReconcileResult> {
  const status = {
    ...claim.status,
    conditions: withConditions(
      claim,
      [{ type: 'Launched', status: 'False', reason: 'InsufficientCapacity', message: error.message }],
      now(),
    ),
  };
  if (!deepEqual(status, claim.status))
    await store.updateStatus(NodeClaimKind, { ...(claim as KubeObject), status });
  await events.record(claim as KubeObject, 'Warning', 'InsufficientCapacity', error.message);
  await deleteIfPresent(store, NodeClaimKind, claim as KubeObject);
  return {};
}
