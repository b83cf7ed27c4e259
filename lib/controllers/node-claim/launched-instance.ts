import {
  describeOffering,
  type InstanceType,
  type LaunchResult,
  type Offering,
} from '../../cloud/node-provider';
import type { NodeClaim } from '../../kinds/node-claim';
import { canonicalQuantity } from '../../kinds/quantity';
import type { ResourceList } from '../../kinds/resource-requirements';
import { LABELS } from '../../scheduling/model';
import { DEFAULT_MAX_PODS, NODE_OVERHEAD } from '../../scheduling/snapshot/capacity-objects';

/**
 * What a launch tells the claim: the Node's provider ID, the instance's resources, the labels of
 * what was actually launched, and whether that was the claim's own offering or a fallback.
 */

const Mi = 2 ** 20;

/** The prefix of the local provider's instance ids (lib/cloud/local). */
const LOCAL_INSTANCE_PREFIX = 'local-';

/**
 * The Node's spec.providerID for an instance, in the form the cloud's node agent reports it:
 * `local:///<zone>/<id>` for the local provider's `local-…` ids, `aws:///<zone>/<id>` for every
 * other id (EC2's, as the AWS cloud provider spells it).
 * @example providerIdOf({ instanceId: 'i-0abc', zone: 'us-east-1a' }) // 'aws:///us-east-1a/i-0abc'
 */
export function providerIdOf(launched: Pick<LaunchResult, 'instanceId' | 'zone'>): string {
  const scheme = launched.instanceId.startsWith(LOCAL_INSTANCE_PREFIX) ? 'local' : 'aws';
  return `${scheme}:///${launched.zone}/${launched.instanceId}`;
}

/**
 * A node's capacity and allocatable for an instance type, as the claim reports them before the
 * Node does: capacity is the type's vCPU, memory, kubelet's default 110 pods and its GPUs;
 * allocatable is capacity less NODE_OVERHEAD, the reserve the scheduler packed against.
 */
export function nodeResources(type: InstanceType): { capacity: ResourceList; allocatable: ResourceList } {
  const gpus: ResourceList = type.gpus > 0 ? { 'nvidia.com/gpu': String(type.gpus) } : {};
  const cpu = type.vcpu * 1000;
  const memory = type.memoryMiB * Mi;
  return {
    capacity: {
      cpu: milliQuantity(cpu),
      memory: byteQuantity(memory),
      pods: String(DEFAULT_MAX_PODS),
      ...gpus,
    },
    allocatable: {
      cpu: milliQuantity(cpu - (NODE_OVERHEAD.cpu ?? 0)),
      memory: byteQuantity(memory - (NODE_OVERHEAD.memory ?? 0)),
      pods: String(DEFAULT_MAX_PODS),
      ...gpus,
    },
  };
}

/**
 * The claim's labels with what was launched, as Karpenter labels a claim after launch: instance
 * type, capacity type and zone follow the instance, so a fallback shows as what it is while the
 * spec keeps the scheduler's decision.
 */
export function launchedLabels(claim: NodeClaim, launched: LaunchResult): Record<string, string> {
  return {
    ...claim.metadata.labels,
    [LABELS.instanceType]: launched.instanceType,
    [LABELS.capacityType]: launched.capacityType,
    [LABELS.zone]: launched.zone,
  };
}

/** The offering the claim's spec names (its zone only when it names one). */
export function chosenOffering(claim: NodeClaim): Offering {
  const { instanceType, capacityType, zone } = claim.spec;
  return { instanceType, capacityType, ...(zone !== undefined ? { zone } : {}) };
}

/** Whether the launch took another offering than the claim's own. */
export function isFallback(claim: NodeClaim, launched: LaunchResult): boolean {
  const chosen = chosenOffering(claim);
  return (
    launched.instanceType !== chosen.instanceType ||
    launched.capacityType !== chosen.capacityType ||
    (chosen.zone !== undefined && launched.zone !== chosen.zone)
  );
}

/** `local.small/on-demand/local as local-0a1b…`, or the fallback said as such, for the Launched condition and Event. */
export function launchMessage(claim: NodeClaim, launched: LaunchResult): string {
  const what = `${describeOffering(launched)} as ${launched.instanceId}`;
  return isFallback(claim, launched)
    ? `Launched on fallback ${what}: ${describeOffering(chosenOffering(claim))} was not available`
    : `Launched ${what}`;
}

function milliQuantity(millis: number): string {
  return canonicalQuantity(`${Math.max(0, millis)}m`);
}

function byteQuantity(bytes: number): string {
  const clamped = Math.max(0, bytes);
  return canonicalQuantity(clamped % Mi === 0 ? `${clamped / Mi}Mi` : String(clamped));
}
