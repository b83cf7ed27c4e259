import type { KubeObject } from '../../kinds/meta';
import { quantityToMillis, quantityToUnits } from '../../kinds/quantity';
import type {
  ExistingNode,
  LabelSelector,
  PendingPod,
  PlacedPod,
  PodAffinityTerm,
  Requirement,
  Resources,
  Taint,
  Toleration,
  TopologySpread,
} from '../model';

/**
 * Stored Pods and Nodes as the planner reads them (lib/scheduling/model.ts): quantities in fixed
 * units, constraints in plain shapes. Objects arrive validated by their kinds, so only absent
 * fields need defaults here.
 */

type Loose = Record<string, unknown>;

/** Requests as kube-scheduler counts them: the sum over containers, at least each init container's, plus spec.overhead, plus one pod. */
export function podRequests(spec: Loose): Resources {
  const sum: Resources = {};
  for (const container of list(spec.containers)) add(sum, resourceList(requestsOf(container)));
  for (const init of list(spec.initContainers)) {
    const requests = resourceList(requestsOf(init));
    for (const [name, amount] of Object.entries(requests)) sum[name] = Math.max(sum[name] ?? 0, amount);
  }
  add(sum, resourceList(spec.overhead as Loose | undefined));
  sum.pods = 1;
  return sum;
}

/** A pending pod: identity, labels, requests and what constrains where it may go. */
export function pendingPodOf(pod: KubeObject): PendingPod {
  const spec = (pod.spec ?? {}) as Loose;
  const affinity = (spec.affinity ?? {}) as Loose;
  const nodeAffinity = (affinity.nodeAffinity ?? {}) as Loose;
  const required = (nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? {}) as Loose;
  const terms = list(required.nodeSelectorTerms).map(
    (term) => list(term.matchExpressions) as unknown as Requirement[],
  );
  const result: PendingPod = {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    labels: pod.metadata.labels ?? {},
    requests: podRequests(spec),
  };
  if (spec.nodeSelector) result.nodeSelector = spec.nodeSelector as Record<string, string>;
  if (terms.length > 0) result.nodeAffinity = terms;
  if (spec.tolerations) result.tolerations = spec.tolerations as Toleration[];
  const podAffinity = requiredTerms(affinity.podAffinity);
  if (podAffinity.length > 0) result.podAffinity = podAffinity;
  const podAntiAffinity = requiredTerms(affinity.podAntiAffinity);
  if (podAntiAffinity.length > 0) result.podAntiAffinity = podAntiAffinity;
  const spread = list(spec.topologySpreadConstraints).map((constraint): TopologySpread => ({
    maxSkew: Number(constraint.maxSkew ?? 1),
    topologyKey: String(constraint.topologyKey),
    whenUnsatisfiable: constraint.whenUnsatisfiable === 'ScheduleAnyway' ? 'ScheduleAnyway' : 'DoNotSchedule',
    ...(constraint.labelSelector ? { labelSelector: constraint.labelSelector as LabelSelector } : {}),
  }));
  if (spread.length > 0) result.topologySpread = spread;
  return result;
}

/** A pod bound to a node, as affinity and spread count it. */
export function placedPodOf(pod: KubeObject): PlacedPod {
  const affinity = (((pod.spec ?? {}) as Loose).affinity ?? {}) as Loose;
  const antiAffinity = requiredTerms(affinity.podAntiAffinity);
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    labels: pod.metadata.labels ?? {},
    ...(antiAffinity.length > 0 ? { podAntiAffinity: antiAffinity } : {}),
  };
}

/** A registered Node with the pods bound to it (those not finished: they hold their requests). */
export function existingNodeOf(node: KubeObject, pods: readonly KubeObject[]): ExistingNode {
  const spec = (node.spec ?? {}) as Loose;
  const status = (node.status ?? {}) as Loose;
  const running = pods.filter(
    (pod) => !['Succeeded', 'Failed'].includes(String((pod.status as Loose | undefined)?.phase)),
  );
  const requested: Resources = {};
  for (const pod of running) add(requested, podRequests((pod.spec ?? {}) as Loose));
  const ready = list(status.conditions).some(
    (condition) => condition.type === 'Ready' && condition.status === 'True',
  );
  return {
    name: node.metadata.name ?? '',
    labels: node.metadata.labels ?? {},
    taints: (spec.taints ?? []) as Taint[],
    allocatable: resourceList((status.allocatable ?? status.capacity) as Loose | undefined),
    requested,
    pods: running.map(placedPodOf),
    ...(spec.unschedulable === true ? { unschedulable: true } : {}),
    ready,
    ...(node.metadata.deletionTimestamp ? { deleting: true } : {}),
  };
}

/** A ResourceList in the planner's units: CPU in millicores, everything else in whole units. */
export function resourceList(resources: Loose | undefined): Resources {
  const result: Resources = {};
  for (const [name, value] of Object.entries(resources ?? {}))
    result[name] = Number(
      name === 'cpu' ? quantityToMillis(value as string) : quantityToUnits(value as string),
    );
  return result;
}

function requiredTerms(affinity: unknown): PodAffinityTerm[] {
  return list((affinity as Loose | undefined)?.requiredDuringSchedulingIgnoredDuringExecution).map(
    (term) => ({
      topologyKey: String(term.topologyKey),
      ...(term.labelSelector ? { labelSelector: term.labelSelector as LabelSelector } : {}),
      ...(Array.isArray(term.namespaces) && term.namespaces.length > 0
        ? { namespaces: term.namespaces as string[] }
        : {}),
    }),
  );
}

function requestsOf(container: Loose): Loose | undefined {
  return (container.resources as Loose | undefined)?.requests as Loose | undefined;
}

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? (value as Loose[]) : [];
}

function add(into: Resources, amounts: Resources): void {
  for (const [name, amount] of Object.entries(amounts)) into[name] = (into[name] ?? 0) + amount;
}
