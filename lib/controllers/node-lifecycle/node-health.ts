import type { Lease } from '../../kinds/lease';
import type { Node, NodeCondition, Taint } from '../../kinds/node';
import { HEARTBEAT_ANNOTATION } from '../../store/node-heartbeats';
import { timestamp } from '../../store/server-fields';

/** kube-controller-manager's --node-monitor-grace-period default. */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS = 40;

/** The taint keys kube's node lifecycle controller puts on nodes that are not Ready. */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';

/** The conditions kube turns Unknown when the kubelet falls silent (Ready is always among them). */
const SILENCED_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** What the node's health calls for: new conditions and taints when they change, and when to look again. */
export interface NodeHealthPlan {
  /** The node's conditions after the grace period is applied, when they changed. */
  conditions?: NodeCondition[];
  /** The node's taints after the Ready condition is applied, when they changed. */
  taints?: Taint[];
  /** Ready left True in this pass (kube records `NodeNotReady` on the node). */
  becameNotReady: boolean;
  /** Seconds until the heartbeat expires, while it has not. */
  expiresInSeconds?: number;
}

/**
 * When the node last proved alive: the latest of its Lease's renewTime, its direct heartbeat's
 * renewal (`directRenewal`, lib/store/node-heartbeats.ts, on AWS) and its Ready condition's
 * lastHeartbeatTime (a node without a Lease, registered by a test or kubectl, is judged by the
 * latter, as kube's controller does before leases exist); a node with none counts from its
 * creation, as kube's probe timestamp starts at creationTimestamp.
 */
export function lastHeartbeat(node: Node, lease: Lease | undefined, directRenewal?: Date): Date {
  const ready = readyCondition(node);
  const times = [lease?.spec.renewTime, ready?.lastHeartbeatTime]
    .filter((time): time is string => time !== undefined)
    .map((time) => new Date(time).getTime());
  if (directRenewal) times.push(directRenewal.getTime());
  if (times.length === 0) return new Date(node.metadata.creationTimestamp ?? 0);
  return new Date(Math.max(...times));
}

/**
 * The grace a node gets: the controller's, or, for a node on a direct heartbeat, its Lease's
 * duration when that is longer. kube's controller uses its own alone; Skiff's agents on AWS renew
 * less often than the kubelet (every 30 s, a 120 s Lease: docs/agent.md "Heartbeats"), and say so
 * in the Lease they hold.
 */
export function gracePeriodFor(lease: Lease | undefined, gracePeriodSeconds: number): number {
  if (lease?.metadata.annotations?.[HEARTBEAT_ANNOTATION] === undefined) return gracePeriodSeconds;
  return Math.max(gracePeriodSeconds, lease.spec.leaseDurationSeconds ?? 0);
}

/**
 * kube's monitorNodeHealth for one node, without the controller's memory: past the grace period
 * since the last heartbeat, Ready (and the pressure conditions present) become Unknown with
 * `NodeStatusUnknown`; a missing Ready is added as `NodeStatusNeverUpdated`. Then the taints follow
 * the Ready condition as kube's tainting passes do: Unknown means `unreachable`, False means
 * `not-ready`, both with NoSchedule and NoExecute (timeAdded on NoExecute); True removes them.
 * Taints already there keep their timeAdded, which is what eviction deadlines count from.
 */
export function planNodeHealth(
  node: Node,
  lease: Lease | undefined,
  now: Date,
  gracePeriodSeconds: number,
  directRenewal?: Date,
): NodeHealthPlan {
  const expiry =
    lastHeartbeat(node, lease, directRenewal).getTime() + gracePeriodFor(lease, gracePeriodSeconds) * 1000;
  const expired = now.getTime() >= expiry;
  const before = node.status.conditions ?? [];
  const conditions = expired ? silenced(before, now) : before;
  const wasReady = readyCondition(node)?.status === 'True';
  const readyStatus = conditions.find((c) => c.type === 'Ready')?.status;
  const taints = taintsFor(node.spec.taints ?? [], readyStatus, now);
  return {
    ...(conditions !== before ? { conditions } : {}),
    ...(taintsDiffer(taints, node.spec.taints ?? []) ? { taints } : {}),
    becameNotReady: wasReady && readyStatus !== 'True',
    ...(expired ? {} : { expiresInSeconds: Math.ceil((expiry - now.getTime()) / 1000) }),
  };
}

/** The node's Ready condition, if it reports one. */
export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status.conditions?.find((c) => c.type === 'Ready');
}

/** The conditions with Ready and the pressures Unknown; the same array when nothing changes. */
function silenced(conditions: NodeCondition[], now: Date): NodeCondition[] {
  const time = timestamp(now);
  let changed = false;
  const result = conditions.map((condition) => {
    if (condition.type !== 'Ready' && !SILENCED_CONDITIONS.includes(condition.type)) return condition;
    if (condition.status === 'Unknown') return condition;
    changed = true;
    return {
      ...condition,
      status: 'Unknown' as const,
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: time,
    };
  });
  if (!conditions.some((c) => c.type === 'Ready')) {
    changed = true;
    result.push({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
      lastHeartbeatTime: time,
      lastTransitionTime: time,
    });
  }
  return changed ? result : conditions;
}

/** The taints with exactly the lifecycle taints the Ready status calls for. */
function taintsFor(taints: Taint[], ready: string | undefined, now: Date): Taint[] {
  const wanted = ready === 'Unknown' ? TAINT_UNREACHABLE : ready === 'False' ? TAINT_NOT_READY : undefined;
  const kept = taints.filter(
    (taint) => (taint.key !== TAINT_UNREACHABLE && taint.key !== TAINT_NOT_READY) || taint.key === wanted,
  );
  if (wanted === undefined) return kept;
  const missing: Taint[] = [];
  if (!kept.some((t) => t.key === wanted && t.effect === 'NoSchedule'))
    missing.push({ key: wanted, effect: 'NoSchedule' });
  if (!kept.some((t) => t.key === wanted && t.effect === 'NoExecute'))
    missing.push({ key: wanted, effect: 'NoExecute', timeAdded: timestamp(now) });
  return [...kept, ...missing];
}

function taintsDiffer(a: Taint[], b: Taint[]): boolean {
  return a.length !== b.length || a.some((taint, i) => taint !== b[i]);
}
