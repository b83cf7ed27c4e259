import * as z from 'zod';
import { ConditionStatus } from './condition';
import { emptyByDefault } from './empty-by-default';
import { invalidValue } from './field-error';
import { readField } from './field-reader';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { labelValueError, qualifiedNameError } from './names';
import { mergeList, mergeSet } from './patch-strategy';
import { ResourceList } from './resource-requirements';
import { timestamp } from './time';
import { TaintEffect } from './toleration';

/**
 * v1 Node, cluster-scoped: one machine that runs pods. The agent registers it and reports its
 * status; the scheduler reads allocatable, taints and unschedulable.
 */
export const Taint = z
  .object({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: TaintEffect,
    timeAdded: timestamp.optional(),
  })
  .superRefine((taint, ctx) => {
    const keyError = qualifiedNameError(taint.key);
    if (keyError) ctx.addIssue({ code: 'custom', path: ['key'], message: invalidValue(taint.key, keyError) });
    const valueError = taint.value === undefined ? undefined : labelValueError(taint.value);
    if (valueError)
      ctx.addIssue({ code: 'custom', path: ['value'], message: invalidValue(taint.value, valueError) });
  });
export type Taint = z.infer<typeof Taint>;

export const NodeSpec = z.object({
  podCIDR: z.string().optional(),
  podCIDRs: mergeSet(z.string()).optional(),
  providerID: z.string().optional(),
  unschedulable: z.boolean().optional(),
  taints: z.array(Taint).optional(),
  configSource: z.looseObject({}).optional(),
  externalID: z.string().optional(),
});
export type NodeSpec = z.infer<typeof NodeSpec>;

export const NodeCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  lastHeartbeatTime: timestamp.optional(),
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type NodeCondition = z.infer<typeof NodeCondition>;

export const NodeAddress = z.object({
  type: z.string().min(1),
  address: z.string().min(1),
});
export type NodeAddress = z.infer<typeof NodeAddress>;

/** Every field is serialised even when empty in Kubernetes, so each defaults to ''. */
export const NodeSystemInfo = z.object({
  machineID: z.string().default(''),
  systemUUID: z.string().default(''),
  bootID: z.string().default(''),
  kernelVersion: z.string().default(''),
  osImage: z.string().default(''),
  containerRuntimeVersion: z.string().default(''),
  kubeletVersion: z.string().default(''),
  kubeProxyVersion: z.string().default(''),
  operatingSystem: z.string().default(''),
  architecture: z.string().default(''),
});
export type NodeSystemInfo = z.infer<typeof NodeSystemInfo>;

export const NodeStatus = z
  .object({
    capacity: ResourceList.optional(),
    allocatable: ResourceList.optional(),
    phase: z.enum(['Pending', 'Running', 'Terminated']).optional(),
    conditions: mergeList(NodeCondition, 'type').optional(),
    addresses: mergeList(NodeAddress, 'type').optional(),
    daemonEndpoints: z.looseObject({}).optional(),
    nodeInfo: NodeSystemInfo.optional(),
    images: z.array(z.looseObject({})).optional(),
    volumesInUse: z.array(z.string()).optional(),
    volumesAttached: z.array(z.looseObject({})).optional(),
    config: z.looseObject({}).optional(),
  })
  // SetDefaults_NodeStatus: a node that reports only its capacity can allocate all of it.
  .transform((status) =>
    status.capacity && !status.allocatable ? { ...status, allocatable: { ...status.capacity } } : status,
  );
export type NodeStatus = z.infer<typeof NodeStatus>;

export const Node = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Node'),
  metadata: emptyByDefault(ObjectMeta),
  spec: NodeSpec.prefault({}),
  status: NodeStatus.prefault({}),
});
export type Node = z.infer<typeof Node>;

export const NodeKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: Node,
  fieldSelectors: { 'spec.unschedulable': readField('spec.unschedulable', 'false') },
};
