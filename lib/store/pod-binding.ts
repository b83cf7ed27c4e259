import type { Binding } from '../kinds/binding';
import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { PodKind, type Pod } from '../kinds/pod';
import type { PodCondition } from '../kinds/pod-status';
import { ConflictError } from './errors';
import type { ObjectStore } from './object-store';

/**
 * Binding a pod to a node, shared by the API's `pods/binding` subresource (external schedulers,
 * kubectl) and Skiff's own scheduler, so both bind exactly as kube-apiserver's BindingREST does.
 */

/** Binds lost to a concurrent write are retried this many times, then answered with the conflict. */
const BIND_ATTEMPTS = 5;

/**
 * The Pod seen without its status subresource, so one update writes spec and status under one
 * version condition; and without the update checks, which forbid setting spec.nodeName.
 */
const WHOLE_POD: KindInfo = { ...PodKind, hasStatus: false, validateUpdate: undefined };

export interface BindOptions {
  /** Bind only if the pod is still at this resourceVersion (no retry); otherwise re-read and retry on conflict. */
  resourceVersion?: string;
  /** Stop after the checks, writing nothing (`dryRun=All`). */
  dryRun?: boolean;
  now: () => string;
}

/**
 * Writes `binding` onto its pod: conditional on the version read, so of two concurrent binds
 * exactly one wins and the loser re-reads and gets ConflictError "already assigned".
 */
export async function bindPod(
  store: ObjectStore,
  namespace: string | undefined,
  binding: Binding,
  options: BindOptions,
): Promise<Pod> {
  const name = binding.metadata.name ?? '';
  const pinned = options.resourceVersion ?? binding.metadata.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    const pod = (await store.get(PodKind, namespace, name)) as Pod;
    const bound = boundPod(pod, binding, options.now());
    if (options.dryRun) return bound;
    try {
      return (await store.update(WHOLE_POD, {
        ...bound,
        metadata: { ...bound.metadata, resourceVersion: pinned ?? pod.metadata.resourceVersion },
      } as KubeObject)) as Pod;
    } catch (error) {
      if (!(error instanceof ConflictError) || pinned !== undefined || attempt >= BIND_ATTEMPTS) throw error;
    }
  }
}

/**
 * The pod as a binding leaves it (kube's setPodHostAndAnnotations): bound to the target node, with
 * the binding's annotations added and PodScheduled set to True (its transition time kept when it
 * already was). A pod being deleted, already bound or still gated cannot be bound: ConflictError
 * on `pods/binding`, with kube's text.
 * @example boundPod(pod, { ...binding, target: { name: 'node-a' } }, now).spec.nodeName // 'node-a'
 */
export function boundPod(pod: Pod, binding: Binding, now: string): Pod {
  const name = pod.metadata.name ?? '';
  const refuse = (detail: string) =>
    new ConflictError({ group: '', plural: 'pods/binding', namespace: pod.metadata.namespace, name }, detail);
  const { uid } = binding.metadata;
  if (uid && uid !== pod.metadata.uid)
    throw refuse(`Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`);
  if (pod.metadata.deletionTimestamp)
    throw refuse(`pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec.nodeName)
    throw refuse(`pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
  if ((pod.spec.schedulingGates ?? []).length > 0)
    throw refuse(`pod ${name} has non-empty .spec.schedulingGates`);
  const conditions = pod.status.conditions ?? [];
  const previous = conditions.find((c) => c.type === 'PodScheduled');
  const scheduled: PodCondition = {
    type: 'PodScheduled',
    status: 'True',
    lastTransitionTime: previous?.status === 'True' ? (previous.lastTransitionTime ?? now) : now,
  };
  const annotations = { ...pod.metadata.annotations, ...binding.metadata.annotations };
  return {
    ...pod,
    metadata: { ...pod.metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: { ...pod.spec, nodeName: binding.target.name },
    status: {
      ...pod.status,
      conditions: previous
        ? conditions.map((c) => (c.type === 'PodScheduled' ? scheduled : c))
        : [...conditions, scheduled],
    },
  };
}
