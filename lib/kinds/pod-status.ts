import * as z from 'zod';
import { ConditionStatus } from './condition';
import { int32, int64 } from './int32';
import { mergeList } from './patch-strategy';
import { ResourceList } from './resource-requirements';
import { timestamp } from './time';

/**
 * v1.PodStatus as the agent reports it. Fields Kubernetes serialises even when empty (a
 * container status's ready, restartCount, image, imageID) default to their zero values, so a
 * status written by any client reads the same.
 */
export const PodCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  observedGeneration: int64.optional(),
  lastProbeTime: timestamp.optional(),
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type PodCondition = z.infer<typeof PodCondition>;

export const ContainerState = z.object({
  waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.object({ startedAt: timestamp.optional() }).optional(),
  terminated: z
    .object({
      exitCode: int32,
      signal: int32.optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      startedAt: timestamp.optional(),
      finishedAt: timestamp.optional(),
      containerID: z.string().optional(),
    })
    .optional(),
});
export type ContainerState = z.infer<typeof ContainerState>;

// Open: newer kubelets add fields (volumeMounts, user, ...); a status copied from a real cluster
// must still apply under fieldValidation=Strict.
export const ContainerStatus = z.looseObject({
  name: z.string().min(1),
  state: ContainerState.optional(),
  lastState: ContainerState.optional(),
  ready: z.boolean().default(false),
  restartCount: int32.default(0),
  image: z.string().default(''),
  imageID: z.string().default(''),
  containerID: z.string().optional(),
  started: z.boolean().optional(),
  allocatedResources: ResourceList.optional(),
  resources: z.looseObject({}).optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;

const IP = z.object({ ip: z.string().min(1) });

export const PodPhase = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);
export type PodPhase = z.infer<typeof PodPhase>;

export const PodStatus = z.object({
  observedGeneration: int64.optional(),
  phase: PodPhase.optional(),
  conditions: mergeList(PodCondition, 'type').optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  nominatedNodeName: z.string().optional(),
  hostIP: z.string().optional(),
  hostIPs: mergeList(IP, 'ip').optional(),
  podIP: z.string().optional(),
  podIPs: mergeList(IP, 'ip').optional(),
  startTime: timestamp.optional(),
  initContainerStatuses: z.array(ContainerStatus).optional(),
  containerStatuses: z.array(ContainerStatus).optional(),
  ephemeralContainerStatuses: z.array(ContainerStatus).optional(),
  qosClass: z.enum(['Guaranteed', 'Burstable', 'BestEffort']).optional(),
});
export type PodStatus = z.infer<typeof PodStatus>;
