import { Lease, LeaseKind } from '../../kinds/lease';
import type { KubeObject } from '../../kinds/meta';
import { Node, NodeKind } from '../../kinds/node';
import { PodKind, type Pod } from '../../kinds/pod';
import { NotFoundError } from '../../store/errors';
import { HEARTBEAT_ANNOTATION, heartbeatBelongsTo } from '../../store/node-heartbeats';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS, planNodeHealth } from './node-health';
import { planEvictions } from './plan-evictions';

/** The namespace of node heartbeat Leases, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** How long a node may go without a heartbeat before it is Unknown (kube's --node-monitor-grace-period). */
  nodeMonitorGracePeriodSeconds?: number;
  /**
   * How long pods without their own toleration stay on a not-ready or unreachable node before
   * they are evicted (kube-apiserver's --default-unreachable-toleration-seconds; default 300).
   */
  defaultTolerationSeconds?: number;
}

/**
 * kube's node lifecycle controller with its taint-eviction controller, for one Node at a time: a
 * node whose Lease (or, without one, Ready heartbeat) is older than the grace period turns Unknown
 * and is tainted unreachable, which the scheduler will not place on; its pods are deleted when
 * their toleration of that taint runs out (300 s unless they say otherwise), so their controllers
 * replace them elsewhere. The rules are in planNodeHealth and planEvictions.
 *
 * Only Node changes wake it, not Lease renewals: a renewal every 10 s per node would invoke the
 * reconciler for nothing, so the controller instead comes back when the heartbeat would expire
 * and reads the Lease then (a renewed Lease simply moves the next look later). On AWS the agents
 * renew a direct heartbeat item instead of the Lease (lib/store/node-heartbeats.ts), named by a
 * Lease annotation, and the Lease's duration (120 s there) is the grace when longer. A node
 * recovers when its agent reports Ready True again, which is a Node change.
 */
export function nodeLifecycleController(options: NodeLifecycleOptions = {}): Controller {
  const gracePeriod = options.nodeMonitorGracePeriodSeconds ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS;
  return {
    name: 'node-lifecycle-controller',
    kind: NodeKind,
    watches: [],
    reconcile: (key, context) => reconcileNode(key, context, gracePeriod, options.defaultTolerationSeconds),
  };
}

async function reconcileNode(
  key: ObjectKey,
  context: ReconcileContext,
  gracePeriodSeconds: number,
  defaultTolerationSeconds?: number,
): Promise<ReconcileResult> {
  const { store, events } = context;
  const now = context.now();
  let node = await getNode(store, key.name);
  if (!node || node.metadata.deletionTimestamp) return {};
  const lease = await getLease(store, key.name);
  const direct = await directRenewal(context, node, lease);
  const health = planNodeHealth(node, lease, now, gracePeriodSeconds, direct);
  if (health.conditions)
    node = Node.parse(
      await store.updateStatus(
        NodeKind,
        asObject({ ...node, status: { ...node.status, conditions: health.conditions } }),
      ),
    );
  if (health.taints)
    node = Node.parse(
      await store.update(NodeKind, asObject({ ...node, spec: { ...node.spec, taints: health.taints } })),
    );
  if (health.becameNotReady)
    await events.record(
      asObject(node),
      'Normal',
      'NodeNotReady',
      `Node ${key.name} status is now: NodeNotReady`,
    );

  // Only NoExecute taints evict: without one, the node's pods need not be listed (4 read units
  // on every look, which on AWS comes about once a minute per node).
  const taints = node.spec.taints ?? [];
  const evictions = taints.some((taint) => taint.effect === 'NoExecute')
    ? planEvictions(taints, await podsOn(store, key.name), now, defaultTolerationSeconds)
    : { evict: [], nextInSeconds: undefined };
  for (const pod of evictions.evict) {
    const about = pod as unknown as KubeObject;
    await events.record(
      about,
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`,
    );
    await deleteIfPresent(store, PodKind, about);
  }
  const next = [health.expiresInSeconds, evictions.nextInSeconds].filter((s): s is number => s !== undefined);
  return next.length === 0 ? {} : { requeueAfterSeconds: Math.min(...next) };
}

/**
 * The node's direct heartbeat (lib/store/node-heartbeats.ts), when its Lease names one that is the
 * node's own (same instance id as its providerID) and the context can read heartbeats.
 */
async function directRenewal(
  context: ReconcileContext,
  node: Node,
  lease: Lease | undefined,
): Promise<Date | undefined> {
  const identity = lease?.metadata.annotations?.[HEARTBEAT_ANNOTATION];
  if (!identity || !context.heartbeats || !heartbeatBelongsTo(identity, node.spec.providerID))
    return undefined;
  return context.heartbeats.lastRenewal(identity);
}

async function getNode(store: ObjectStore, name: string): Promise<Node | undefined> {
  try {
    return Node.parse(await store.get(NodeKind, undefined, name));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

async function getLease(store: ObjectStore, name: string): Promise<Lease | undefined> {
  try {
    return Lease.parse(await store.get(LeaseKind, NODE_LEASE_NAMESPACE, name));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The pods bound to the node, in every namespace. */
async function podsOn(store: ObjectStore, nodeName: string): Promise<Pod[]> {
  const { items } = await store.list(PodKind, {
    fieldSelector: [{ field: 'spec.nodeName', operator: '=', value: nodeName }],
  });
  // Stored pods were decoded with the Pod schema, so they have its shape.
  return items as unknown as Pod[];
}

/** A decoded kind is a KubeObject; the store's signature speaks of the latter. */
function asObject(object: Node): KubeObject {
  return object as unknown as KubeObject;
}
