import { LABELS } from '../../scheduling/model';
import { resourceList } from '../../scheduling/runner/claim-manifest';
import { DEFAULT_MAX_PODS, NODE_OVERHEAD } from '../../scheduling/snapshot/capacity-objects';
import type { NodeIdentity } from '../node-identity';
import { timestamp } from '../../store/server-fields';

/** What the node has to offer: CPU in millicores, memory in bytes, and how many pods. */
export interface NodeCapacity {
  cpuMillis: number;
  memoryBytes: number;
  pods?: number;
}

/** The parts of its NodeClaim a node takes on: the pool template's labels and taints. */
export interface ClaimTemplate {
  labels?: Record<string, string>;
  taints?: unknown[];
}

export interface NodeManifestInput {
  identity: NodeIdentity;
  capacity: NodeCapacity;
  claim?: ClaimTemplate;
  /** Labels the launcher knows and the claim does not carry (the local cluster's instance labels). */
  extraLabels?: Record<string, string>;
  /** The agent server's port: kube-apiserver reads logs from `InternalIP:port` as from a kubelet. */
  agentPort: number;
  agentVersion: string;
  runtimeVersion: string;
}

/**
 * The Node an agent registers, as a kubelet registers one: named after its claim, labelled with
 * the claim's labels and its own facts (instance type, zone, capacity type, pool, architecture,
 * hostname), the instance as providerID, capacity and allocatable after the per-node overhead
 * the scheduler planned with, addresses and the agent's endpoint. Status comes separately
 * (nodeStatus) because the status subresource writes it.
 */
export function nodeManifest(input: NodeManifestInput): Record<string, unknown> {
  const { identity } = input;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: identity.nodeName, labels: nodeLabels(input) },
    spec: {
      providerID: identity.providerID,
      ...(input.claim?.taints && input.claim.taints.length > 0 ? { taints: input.claim.taints } : {}),
    },
    status: nodeStatus(input, new Date()),
  };
}

export function nodeLabels(input: NodeManifestInput): Record<string, string> {
  const { identity } = input;
  return {
    ...input.claim?.labels,
    ...input.extraLabels,
    [LABELS.hostname]: identity.nodeName,
    [LABELS.zone]: identity.zone,
    [LABELS.instanceType]: identity.instanceType,
    [LABELS.capacityType]: identity.capacityType,
    [LABELS.arch]: identity.architecture,
    'kubernetes.io/os': 'linux',
    ...(identity.nodePool ? { [LABELS.pool]: identity.nodePool } : {}),
  };
}

/** The node's status: Ready (with this heartbeat), capacity, allocatable, addresses, endpoint, info. */
export function nodeStatus(input: NodeManifestInput, now: Date): Record<string, unknown> {
  const capacity = {
    cpu: input.capacity.cpuMillis,
    memory: input.capacity.memoryBytes,
    pods: input.capacity.pods ?? DEFAULT_MAX_PODS,
  };
  const allocatable = Object.fromEntries(
    Object.entries(capacity).map(([resource, amount]) => [
      resource,
      Math.max(0, amount - (NODE_OVERHEAD[resource] ?? 0)),
    ]),
  );
  const time = timestamp(now);
  return {
    capacity: resourceList(capacity),
    allocatable: resourceList(allocatable),
    conditions: [readyCondition(time, time)],
    addresses: [
      { type: 'InternalIP', address: input.identity.internalIP },
      { type: 'Hostname', address: input.identity.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: input.agentPort } },
    nodeInfo: {
      architecture: input.identity.architecture,
      operatingSystem: 'linux',
      kubeletVersion: input.agentVersion,
      containerRuntimeVersion: input.runtimeVersion,
    },
  };
}

/** The kubelet's Ready condition, with its reason and message. */
export function readyCondition(heartbeat: string, transition: string) {
  return {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: transition,
  };
}
