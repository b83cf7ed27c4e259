import type { KubeObject } from '../kinds/meta';
import { podRequests, resourceList } from '../scheduling/snapshot/from-objects';
import type { Loose } from './loose-object';

/** One row of `skiff nodes`: a node, what its claim says it is and costs, and how full it is. */
export interface NodeUsage {
  name: string;
  status: string;
  instanceType: string;
  capacityType: string;
  zone: string;
  /** The claim's price, or undefined for a node no claim launched. */
  usdPerHour?: number;
  pods: number;
  cpu: { requestedMillis: number; allocatableMillis: number };
  memory: { requestedBytes: number; allocatableBytes: number };
}

/** Pods that hold a node's resources: bound to it and not finished (kube-scheduler's count). */
const holdsResources = (pod: KubeObject, node: string) => {
  const phase = (pod.status as Loose)?.phase;
  return (pod.spec as Loose)?.nodeName === node && phase !== 'Succeeded' && phase !== 'Failed';
};

/**
 * Each node's type, price and utilisation: instance type, capacity type and zone from the node's
 * well-known labels (else its NodeClaim's spec, of the same name), the price from the claim, and
 * requests (as the scheduler counts them) against allocatable.
 */
export function nodeUsage(nodes: KubeObject[], claims: KubeObject[], pods: KubeObject[]): NodeUsage[] {
  return nodes.map((node) => {
    const name = node.metadata.name ?? '';
    const labels = node.metadata.labels ?? {};
    const claim = (claims.find((c) => c.metadata.name === name)?.spec as Loose) ?? {};
    const allocatable = resourceList((node.status as Loose)?.allocatable);
    const held = pods.filter((pod) => holdsResources(pod, name));
    const requested = held.reduce(
      (sum, pod) => {
        const r = podRequests((pod.spec as Loose) ?? {});
        return { cpu: sum.cpu + (r.cpu ?? 0), memory: sum.memory + (r.memory ?? 0) };
      },
      { cpu: 0, memory: 0 },
    );
    const price = claim.usdPerHour === undefined ? undefined : Number(claim.usdPerHour);
    return {
      name,
      status: nodeStatus(node),
      instanceType: labels['node.kubernetes.io/instance-type'] ?? claim.instanceType ?? '',
      capacityType: labels['karpenter.sh/capacity-type'] ?? claim.capacityType ?? '',
      zone: labels['topology.kubernetes.io/zone'] ?? claim.zone ?? '',
      ...(price === undefined || Number.isNaN(price) ? {} : { usdPerHour: price }),
      pods: held.length,
      cpu: { requestedMillis: requested.cpu, allocatableMillis: allocatable.cpu ?? 0 },
      memory: { requestedBytes: requested.memory, allocatableBytes: allocatable.memory ?? 0 },
    };
  });
}

function nodeStatus(node: KubeObject): string {
  const ready = ((node.status as Loose)?.conditions ?? []).find((c: Loose) => c.type === 'Ready');
  const state = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  return (node.spec as Loose)?.unschedulable ? `${state},SchedulingDisabled` : state;
}

/** `750m/1900m (39%)`: requested over allocatable CPU. */
export function cpuText({ requestedMillis, allocatableMillis }: NodeUsage['cpu']): string {
  return `${requestedMillis}m/${allocatableMillis}m (${percent(requestedMillis, allocatableMillis)})`;
}

/** `384Mi/7680Mi (5%)`: requested over allocatable memory in MiB. */
export function memoryText({ requestedBytes, allocatableBytes }: NodeUsage['memory']): string {
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}Mi`;
  return `${mib(requestedBytes)}/${mib(allocatableBytes)} (${percent(requestedBytes, allocatableBytes)})`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-';
}

/** A price as `$0.1008`, or `-` when unknown. */
export function priceText(usdPerHour: number | undefined): string {
  return usdPerHour === undefined ? '-' : `$${Number(usdPerHour.toFixed(4))}`;
}
