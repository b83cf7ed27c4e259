import { NodeKind, type NodeSpec } from '../../kinds/node';
import type { KubeObject } from '../../kinds/meta';
import { DISRUPTED_TAINT } from '../../kinds/node-claim';
import { ConflictError, NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';

/** A write lost to a concurrent one is retried this many times, then the conflict is thrown. */
const CORDON_ATTEMPTS = 5;

/** The Node as cordoning left it, and whether this call wrote it; undefined when there is no such Node. */
export type CordonResult = { node: KubeObject; changed: boolean } | undefined;

/**
 * Cordons a Node (`spec.unschedulable: true`, what `kubectl cordon` writes) and taints it
 * `karpenter.sh/disrupted:NoSchedule`, so the scheduler places nothing more on it while it goes.
 * The update is conditional on the version read; a concurrent write (the agent, the scheduler)
 * makes it read again and retry. Idempotent: a Node already cordoned and tainted is not written.
 * Answers undefined when the Node does not exist (an instance that never registered), or when it
 * reports another instance than `providerID` (a Node of that name that is not the claim's).
 */
export async function cordonNode(
  store: ObjectStore,
  name: string,
  providerID?: string,
): Promise<CordonResult> {
  for (let attempt = 1; ; attempt++) {
    let node: KubeObject;
    try {
      node = await store.get(NodeKind, undefined, name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    const spec = (node.spec ?? {}) as NodeSpec;
    if (providerID !== undefined && spec.providerID !== undefined && spec.providerID !== providerID)
      return undefined;
    const taints = spec.taints ?? [];
    const tainted = taints.some((t) => t.key === DISRUPTED_TAINT.key && t.effect === DISRUPTED_TAINT.effect);
    if (spec.unschedulable === true && tainted) return { node, changed: false };
    try {
      const cordoned = await store.update(NodeKind, {
        ...node,
        spec: { ...spec, unschedulable: true, taints: tainted ? taints : [...taints, DISRUPTED_TAINT] },
      });
      return { node: cordoned, changed: true };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      if (!(error instanceof ConflictError) || attempt >= CORDON_ATTEMPTS) throw error;
    }
  }
}
