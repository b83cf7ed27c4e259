import type { KubeObject } from '../../kinds/meta';
import { NodeClaimKind, type NodeClaim } from '../../kinds/node-claim';
import { PodKind } from '../../kinds/pod';
import { deepEqual } from '../../store/deep-equal';
import { timestamp } from '../../store/server-fields';
import type { ReconcileContext, ReconcileResult } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { conditionOf, isConditionTrue, withConditions } from './claim-conditions';
import type { ClaimEnvironment } from './claim-environment';
import { nodeLifecycle } from './node-lifecycle';
import { EMPTY_PODS_DIGEST, PODS_DIGEST_ANNOTATION, podsDigest } from './pods-digest';
import { listAll } from '../../store/list-all';
import { nodeOfClaim } from './stored-objects';

/**
 * Follows a launched claim's Node: its conditions from the Node, lastPodEventTime from the pods
 * bound to it, and the two ends Karpenter gives a claim whose Node is missing: deleted when the
 * Node never registered within the timeout (the scheduler plans a replacement), deleted when its
 * registered Node was deleted (as Karpenter's termination finalizer on the Node does).
 */
export async function trackNode(
  claim: NodeClaim,
  context: ReconcileContext,
  env: ClaimEnvironment,
): Promise<ReconcileResult> {
  const { store, events } = context;
  const now = context.now();
  const about = claim as KubeObject;
  const node = await nodeOfClaim(store, claim);
  if (node === undefined && isConditionTrue(claim, 'Registered')) {
    await events.record(about, 'Normal', 'NodeDeleted', `Node ${claim.status.nodeName ?? ''} was deleted`);
    await deleteIfPresent(store, NodeClaimKind, about);
    return {};
  }
  const waited = node === undefined ? secondsSinceLaunch(claim, now) : 0;
  if (node === undefined && waited >= env.registrationTimeoutSeconds) {
    await events.record(
      about,
      'Warning',
      'RegistrationTimeout',
      `Node did not register within ${env.registrationTimeoutSeconds}s of launch; deleting the claim`,
    );
    await deleteIfPresent(store, NodeClaimKind, about);
    return {};
  }

  const lifecycle = nodeLifecycle(claim, node);
  const digest = node === undefined ? undefined : podsDigest(await podsOn(context, node.metadata.name ?? ''));
  const recorded = claim.metadata.annotations?.[PODS_DIGEST_ANNOTATION] ?? EMPTY_PODS_DIGEST;
  const podsMoved = digest !== undefined && digest !== recorded;
  const status = {
    ...claim.status,
    ...(lifecycle.nodeName !== undefined ? { nodeName: lifecycle.nodeName } : {}),
    conditions: withConditions(claim, lifecycle.changes, now),
    ...(podsMoved ? { lastPodEventTime: timestamp(now) } : {}),
  };
  let current = about;
  if (!deepEqual(status, claim.status))
    current = await store.updateStatus(NodeClaimKind, { ...about, status });
  // After the status: a crash between the two writes moves the time again, never loses a move.
  if (podsMoved)
    await store.update(NodeClaimKind, {
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { ...current.metadata.annotations, [PODS_DIGEST_ANNOTATION]: digest },
      },
    });
  await recordTransitions(claim, status.conditions, lifecycle.nodeName, context);
  return node === undefined ? { requeueAfterSeconds: env.registrationTimeoutSeconds - waited } : {};
}

/** The pods bound to the node, in every namespace. */
function podsOn({ store }: ReconcileContext, nodeName: string): Promise<KubeObject[]> {
  return listAll(store, PodKind, {
    fieldSelector: [{ field: 'spec.nodeName', operator: '=', value: nodeName }],
  });
}

/** Whole seconds since Launched turned True, rounded down, so a requeue lands at or after the deadline. */
function secondsSinceLaunch(claim: NodeClaim, now: Date): number {
  const since = conditionOf(claim, 'Launched')?.lastTransitionTime;
  return since === undefined ? 0 : Math.floor((now.getTime() - Date.parse(since)) / 1000);
}

/** Registered and Initialized are told once, as they turn True. */
async function recordTransitions(
  claim: NodeClaim,
  conditions: NonNullable<NodeClaim['status']['conditions']>,
  nodeName: string | undefined,
  { events }: ReconcileContext,
): Promise<void> {
  const turnedTrue = (type: string) =>
    !isConditionTrue(claim, type) && conditions.some((c) => c.type === type && c.status === 'True');
  if (turnedTrue('Registered'))
    await events.record(claim as KubeObject, 'Normal', 'Registered', `Registered node ${nodeName ?? ''}`);
  if (turnedTrue('Initialized'))
    await events.record(
      claim as KubeObject,
      'Normal',
      'Initialized',
      'Node is ready and its startup taints are gone',
    );
}
