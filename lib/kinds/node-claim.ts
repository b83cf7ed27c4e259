import * as z from 'zod';
import { duration, durationOrNever } from './capacity-duration';
import { emptyByDefault } from './empty-by-default';
import { readField } from './field-reader';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { dns1123Subdomain } from './names';
import { Taint } from './node';
import { CapacityType, NodeRequirement } from './node-requirement';
import { CapacityCondition } from './node-pool';
import { mergeList } from './patch-strategy';
import { ResourceList } from './resource-requirements';
import { timestamp } from './time';
import { usdAmount } from './usd-amount';

/**
 * skiff.dev/v1alpha1 NodeClaim, cluster-scoped: one instance the scheduler decided to launch, with
 * the decision that made it. Karpenter's NodeClaim leaves the instance type, capacity type and
 * zone to launch time (they become labels); Skiff's scheduler picks them in its plan, so they are
 * spec fields here, with the price, the reason and the pods the claim was made for.
 */

/** Karpenter's finalizer on every claim: its Node and instance are removed before the claim is. */
export const TERMINATION_FINALIZER = 'karpenter.sh/termination';

/**
 * The taint Karpenter puts on a node it is taking away (consolidation, expiry, interruption): no
 * new pods, and the scheduler moves its own.
 */
export const DISRUPTED_TAINT = { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' } as const;

/** A pod the claim was made for. */
export const ClaimedPod = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  uid: z.string().optional(),
});
export type ClaimedPod = z.infer<typeof ClaimedPod>;

export const NodeClaimSpec = z.object({
  /** The pool it comes from (Karpenter: the `karpenter.sh/nodepool` label). */
  nodePool: dns1123Subdomain.optional(),
  instanceType: z.string().min(1),
  capacityType: CapacityType.default('on-demand'),
  zone: z.string().min(1).optional(),
  /** The price the decision was made at, in dollars per hour. */
  usdPerHour: usdAmount.optional(),
  /** Why it was made, in a sentence: `3 pending pods need 2 vCPU, 4Gi; c7g.large is cheapest`. */
  reason: z.string().optional(),
  pods: z.array(ClaimedPod).optional(),
  /** What the pods planned onto it request in all (Karpenter's spec.resources.requests): a fallback type must hold it. */
  resources: z.object({ requests: ResourceList.optional() }).optional(),
  requirements: z.array(NodeRequirement).max(100).optional(),
  taints: z.array(Taint).optional(),
  startupTaints: z.array(Taint).optional(),
  expireAfter: durationOrNever.default('720h'),
  terminationGracePeriod: duration.optional(),
});
export type NodeClaimSpec = z.infer<typeof NodeClaimSpec>;

/**
 * The scheduler's decision, for `kubectl describe` and the plan's audit: what it did (`Launch`,
 * `Replace`, `Delete`), why, and what it costs or saves per hour.
 */
export const CapacityDecision = z.object({
  action: z.string().min(1),
  reason: z.string().optional(),
  message: z.string().optional(),
  usdPerHour: usdAmount.optional(),
  savingsUsdPerHour: usdAmount.optional(),
  time: timestamp.optional(),
});
export type CapacityDecision = z.infer<typeof CapacityDecision>;

/** The lifecycle conditions, in the order a claim passes them (Karpenter's). */
export const NODE_CLAIM_CONDITIONS = ['Launched', 'Registered', 'Initialized', 'Ready'] as const;

export const NodeClaimStatus = z.object({
  /** The Node's spec.providerID once launched, e.g. `aws:///us-east-1a/i-0abc…`. */
  providerID: z.string().optional(),
  /** The instance's own id (`i-0abc…`, or the local provider's), for the cloud adapter. */
  instanceId: z.string().optional(),
  nodeName: z.string().optional(),
  imageID: z.string().optional(),
  capacity: ResourceList.optional(),
  allocatable: ResourceList.optional(),
  conditions: mergeList(CapacityCondition, 'type').optional(),
  decision: CapacityDecision.optional(),
  /** When a pod was last bound to or removed from its node (Karpenter's): consolidateAfter counts from it. */
  lastPodEventTime: timestamp.optional(),
});
export type NodeClaimStatus = z.infer<typeof NodeClaimStatus>;

export const NodeClaim = z.object({
  apiVersion: z.literal('skiff.dev/v1alpha1'),
  kind: z.literal('NodeClaim'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(NodeClaimSpec),
  status: NodeClaimStatus.prefault({}),
});
export type NodeClaim = z.infer<typeof NodeClaim>;

export const NodeClaimKind: KindInfo = {
  group: 'skiff.dev',
  version: 'v1alpha1',
  kind: 'NodeClaim',
  plural: 'nodeclaims',
  singular: 'nodeclaim',
  shortNames: ['nc'],
  namespaced: false,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: NodeClaim,
  categories: ['karpenter'],
  fieldSelectors: {
    'spec.nodePool': readField('spec.nodePool'),
    'spec.instanceType': readField('spec.instanceType'),
    'status.nodeName': readField('status.nodeName'),
    'status.providerID': readField('status.providerID'),
  },
};
