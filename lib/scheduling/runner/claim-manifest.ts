import { createHash } from 'node:crypto';
import { decodeObject } from '../../kinds/decode';
import type { KubeObject } from '../../kinds/meta';
import { NodeClaimKind, TERMINATION_FINALIZER, type NodeClaim } from '../../kinds/node-claim';
import type { NodePool } from '../../kinds/node-pool';
import { canonicalQuantity } from '../../kinds/quantity';
import { LABELS, type Launch, type Resources } from '../model';

/** Annotation on a replacement claim naming the node it replaces (consolidation). */
export const REPLACES_ANNOTATION = 'skiff.dev/replaces';

/**
 * The stored name of a claim the plan calls `launch.claim`: the pool's name and six hex digits of
 * the round's fencing token and the planned name, as Karpenter names claims `<pool>-<suffix>`. A
 * round never reuses another's fence, so names do not collide across rounds.
 */
export function claimName(launch: Launch, fence: number): string {
  const suffix = createHash('sha256').update(`${fence}/${launch.claim}`).digest('hex').slice(0, 6);
  return `${launch.pool}-${suffix}`;
}

/**
 * The NodeClaim for a launch: what to launch (type, capacity type, zone, price), for whom (the pods
 * and what they request in all), and the pool's template (requirements, taints, labels, expiry),
 * with the decision that made it. Decoded through the kind, so it is stored with its defaults.
 */
export function claimManifest(
  launch: Launch,
  name: string,
  pool: NodePool,
  requests: Resources,
  podUids: ReadonlyMap<string, string>,
  now: Date,
  annotations: Record<string, string> = {},
): NodeClaim {
  const template = pool.spec.template;
  const manifest = {
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'NodeClaim',
    metadata: {
      name,
      labels: {
        ...template.metadata?.labels,
        [LABELS.pool]: launch.pool,
        [LABELS.instanceType]: launch.offering.instanceType,
        [LABELS.capacityType]: launch.offering.capacityType,
        [LABELS.zone]: launch.offering.zone,
      },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers: [TERMINATION_FINALIZER],
      ownerReferences: [
        {
          apiVersion: 'skiff.dev/v1alpha1',
          kind: 'NodePool',
          name: launch.pool,
          uid: pool.metadata.uid ?? '',
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodePool: launch.pool,
      instanceType: launch.offering.instanceType,
      capacityType: launch.offering.capacityType,
      zone: launch.offering.zone,
      usdPerHour: usd(launch.offering.usdPerHour),
      reason: launch.reason,
      pods: launch.pods.map((key) => {
        const [namespace, podName] = key.split('/');
        const uid = podUids.get(key);
        return { namespace, name: podName, ...(uid ? { uid } : {}) };
      }),
      resources: { requests: resourceList(requests) },
      requirements: template.spec.requirements,
      ...(template.spec.taints ? { taints: template.spec.taints } : {}),
      ...(template.spec.startupTaints ? { startupTaints: template.spec.startupTaints } : {}),
      expireAfter: template.spec.expireAfter,
      ...(template.spec.terminationGracePeriod
        ? { terminationGracePeriod: template.spec.terminationGracePeriod }
        : {}),
    },
    status: {
      decision: {
        action: 'Launch',
        reason: annotations[REPLACES_ANNOTATION] ? 'Replace' : 'Provision',
        message: launch.reason,
        usdPerHour: usd(launch.offering.usdPerHour),
        time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    },
  };
  return decodeObject(NodeClaimKind, manifest as unknown as KubeObject).object as NodeClaim;
}

/** Dollars as the kinds store them: a decimal string of at most 9 places, no float noise. */
export function usd(amount: number): string {
  return amount.toFixed(9).replace(/\.?0+$/, '');
}

/** The planner's units back to a Kubernetes ResourceList: CPU in millicores, the rest in units. */
export function resourceList(resources: Resources): Record<string, string> {
  const list: Record<string, string> = {};
  for (const [name, amount] of Object.entries(resources).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (amount <= 0) continue;
    const whole = Math.ceil(amount);
    // Bytes read best in binary units (536870912 -> 512Mi): a multiple of 1Ki is written so.
    const text =
      name === 'cpu'
        ? `${whole}m`
        : BYTES.has(name) && whole % 1024 === 0 && whole > 0
          ? `${whole / 1024}Ki`
          : String(whole);
    list[name] = canonicalQuantity(text);
  }
  return list;
}

/** Resources counted in bytes (the rest are counts: pods, GPUs). */
const BYTES = new Set(['memory', 'ephemeral-storage']);
