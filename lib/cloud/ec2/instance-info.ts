import type { Instance } from '@aws-sdk/client-ec2';
import { NODECLAIM_TAG, NODEPOOL_TAG, type InstanceInfo, type InstanceState } from '../node-provider';

const LIVE_STATES: ReadonlySet<string> = new Set<InstanceState>([
  'pending',
  'running',
  'shutting-down',
  'stopping',
  'stopped',
]);

/** The states list reports: every one but terminated, which moto and EC2 keep showing for a while. */
export const LISTED_STATES: readonly InstanceState[] = [...LIVE_STATES] as InstanceState[];

/**
 * States in which an instance still serves its claim, so a retried launch answers with it rather
 * than launching another. One shutting down does not: its claim needs a new one.
 */
export const SERVING_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping', 'stopped'];

/** An EC2 instance as the port reports it, or undefined for a terminated or malformed one. */
export function toInstanceInfo(instance: Instance): InstanceInfo | undefined {
  const state = instance.State?.Name;
  if (
    instance.InstanceId === undefined ||
    instance.InstanceType === undefined ||
    state === undefined ||
    !LIVE_STATES.has(state)
  )
    return undefined;
  const tag = (key: string) => instance.Tags?.find((t) => t.Key === key)?.Value;
  const claimUid = tag(NODECLAIM_TAG);
  const poolName = tag(NODEPOOL_TAG);
  return {
    instanceId: instance.InstanceId,
    ...(claimUid === undefined ? {} : { claimUid }),
    ...(poolName === undefined ? {} : { poolName }),
    state: state as InstanceState,
    instanceType: instance.InstanceType,
    capacityType: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    zone: instance.Placement?.AvailabilityZone ?? '',
    launchTime: instance.LaunchTime ?? new Date(0),
  };
}
