import type { KubeObject } from '../../kinds/meta';
import {
  conditionOf,
  conditionsOf,
  lastSeen,
  specOf,
  statusOf,
  type EventLike,
  type Loose,
} from './describe-types';

/**
 * Why an object is not (yet) what its spec asks, in words, from its status and its Events:
 * the section `skiff describe` adds to kubectl's output so a user need not piece it together.
 * Empty when the object is converged.
 *
 * @example notConverged(pendingPod, events)
 *   // ['Not scheduled: 0/2 nodes are available: 2 Insufficient cpu.']
 */
export function notConverged(object: KubeObject, events: EventLike[]): string[] {
  switch (object.kind) {
    case 'Pod':
      return podReasons(object, events);
    case 'Deployment':
      return deploymentReasons(object);
    case 'ReplicaSet':
      return replicaSetReasons(object, events);
    case 'Job':
      return jobReasons(object);
    case 'Node':
      return nodeReasons(object);
    case 'NodeClaim':
      return falseConditions(object, CLAIM_LIFECYCLE);
    default:
      return [];
  }
}

function podReasons(pod: KubeObject, events: EventLike[]): string[] {
  const status = statusOf(pod);
  if (status.phase === 'Succeeded') return [];
  if (status.phase === 'Failed') return [`Failed: ${status.reason ?? ''} ${status.message ?? ''}`.trim()];
  const reasons: string[] = [];
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (!specOf(pod).nodeName) {
    const failures = events
      .filter((e) => e.reason === 'FailedScheduling')
      .sort((a, b) => String(lastSeen(b)).localeCompare(String(lastSeen(a))));
    const message = scheduled?.status === 'False' ? scheduled.message : undefined;
    reasons.push(`Not scheduled: ${message ?? failures[0]?.message ?? 'waiting for the scheduler'}`);
    const nominated = status.nominatedNodeName;
    if (nominated) reasons.push(`Nominated to node ${nominated}, which is being launched`);
    return reasons;
  }
  for (const container of [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ] as Loose[]) {
    const waiting = container.state?.waiting;
    if (waiting)
      reasons.push(
        `Container ${container.name} waiting: ${waiting.reason ?? ''}${waiting.message ? `: ${waiting.message}` : ''}`,
      );
    const last = container.lastState?.terminated;
    if (waiting && last)
      reasons.push(
        `Container ${container.name} last exited with code ${last.exitCode ?? '?'} (${last.reason ?? 'Error'})`,
      );
  }
  const ready = conditionOf(pod, 'Ready');
  if (reasons.length === 0 && ready?.status !== 'True') {
    const detail =
      ready?.message ??
      (status.containerStatuses
        ? 'containers are not ready'
        : `bound to ${specOf(pod).nodeName}, not started by its node yet`);
    reasons.push(`Not ready: ${detail}`);
  }
  return reasons;
}

function deploymentReasons(deployment: KubeObject): string[] {
  const spec = specOf(deployment);
  const status = statusOf(deployment);
  const reasons: string[] = [];
  if ((status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0))
    reasons.push('The controller has not observed the latest spec yet');
  const desired = spec.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (spec.paused) reasons.push('The rollout is paused');
  if (updated < desired)
    reasons.push(`${updated} of ${desired} replicas are updated to the current template`);
  if (ready < desired) reasons.push(`${ready} of ${desired} replicas are ready`);
  if (available < desired && ready >= desired)
    reasons.push(`${available} of ${desired} replicas are available (minReadySeconds)`);
  if ((status.replicas ?? 0) > updated && updated >= desired)
    reasons.push(`${(status.replicas ?? 0) - updated} old replicas are pending termination`);
  return reasons.length > 0 ? [...reasons, ...falseConditions(deployment)] : [];
}

function replicaSetReasons(replicaSet: KubeObject, events: EventLike[]): string[] {
  const desired = specOf(replicaSet).replicas ?? 1;
  const status = statusOf(replicaSet);
  const reasons: string[] = [];
  if ((status.replicas ?? 0) < desired) {
    reasons.push(`${status.replicas ?? 0} of ${desired} pods exist`);
    const failed = events.find((e) => e.reason === 'FailedCreate');
    if (failed?.message) reasons.push(`FailedCreate: ${failed.message}`);
  }
  if ((status.readyReplicas ?? 0) < desired)
    reasons.push(`${status.readyReplicas ?? 0} of ${desired} pods are ready`);
  return reasons;
}

function jobReasons(job: KubeObject): string[] {
  const status = statusOf(job);
  const failed = conditionOf(job, 'Failed');
  if (failed?.status === 'True')
    return [`Failed: ${failed.reason ?? ''}${failed.message ? `: ${failed.message}` : ''}`];
  if (conditionOf(job, 'Complete')?.status === 'True') return [];
  if (specOf(job).suspend) return ['The job is suspended'];
  const completions = specOf(job).completions ?? 1;
  return [
    `${status.succeeded ?? 0} of ${completions} completions; ${status.active ?? 0} active, ${status.failed ?? 0} failed`,
  ];
}

function nodeReasons(node: KubeObject): string[] {
  const reasons: string[] = [];
  const ready = conditionOf(node, 'Ready');
  if (ready?.status !== 'True')
    reasons.push(
      `Not ready: ${ready?.reason ?? 'no Ready condition'}${ready?.message ? `: ${ready.message}` : ''}`,
    );
  if (specOf(node).unschedulable) reasons.push('Cordoned: new pods are not scheduled here');
  for (const taint of (specOf(node).taints ?? []) as Loose[])
    if (String(taint.key).startsWith('node.kubernetes.io/') || taint.key === 'karpenter.sh/disrupted')
      reasons.push(`Tainted ${taint.key}:${taint.effect}`);
  return reasons;
}

/** A claim's lifecycle conditions (Karpenter's); Drifted, Empty and the like are True when notable. */
const CLAIM_LIFECYCLE = ['Launched', 'Registered', 'Initialized', 'Ready'];

/** Conditions (of `types`, or all) not True, as `Type is False: Reason: message` lines. */
function falseConditions(object: KubeObject, types?: string[]): string[] {
  return conditionsOf(object)
    .filter((c) => c.status !== 'True' && (!types || types.includes(c.type)))
    .map(
      (c) => `${c.type} is ${c.status}${c.reason ? `: ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`,
    );
}
