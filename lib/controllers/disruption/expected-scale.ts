import { DeploymentKind } from '../../kinds/deployment';
import type { KubeObject, OwnerReference } from '../../kinds/meta';
import { ReplicaSetKind } from '../../kinds/replica-set';
import { getIfPresent } from '../../store/get-if-present';
import type { ObjectStore } from '../../store/object-store';
import { controllerRefOf } from '../replica-set/pod-ownership';

/** A pod's controller has no scale Skiff knows (a Job, say): kube's finders find none either. */
export class NoControllerError extends Error {
  constructor(podName: string) {
    super(`found no controllers for pod ${JSON.stringify(podName)}`);
  }
}

/**
 * kube's getExpectedScale: the sum of the scale of the controllers of `pods`, each counted once.
 * A pod owned by a ReplicaSet counts that ReplicaSet's replicas, or, when a Deployment controls
 * the ReplicaSet, the Deployment's. Pods without a controller are left out (and named in
 * `unmanaged`); a controller with no scale subresource is an error, as in kube.
 */
export async function expectedScale(
  store: ObjectStore,
  namespace: string,
  pods: readonly KubeObject[],
): Promise<{ scale: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = await controllerScale(store, namespace, ref);
    if (!found) throw new NoControllerError(pod.metadata.name ?? '');
    scales.set(found.uid, found.replicas);
  }
  let scale = 0;
  for (const replicas of scales.values()) scale += replicas;
  return { scale, unmanaged };
}

/** The finders kube tries in turn, for the kinds with a scale subresource here. */
async function controllerScale(
  store: ObjectStore,
  namespace: string,
  ref: OwnerReference,
): Promise<{ uid: string; replicas: number } | undefined> {
  if (ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
  const replicaSet = await getIfPresent(store, ReplicaSetKind, namespace, ref.name);
  if (!replicaSet || replicaSet.metadata.uid !== ref.uid) return undefined;
  const owner = controllerRefOf(replicaSet);
  if (owner?.kind === 'Deployment' && owner.apiVersion.startsWith('apps/')) {
    const deployment = await getIfPresent(store, DeploymentKind, namespace, owner.name);
    if (!deployment || deployment.metadata.uid !== owner.uid) return undefined;
    return { uid: owner.uid, replicas: replicasOf(deployment) };
  }
  return { uid: ref.uid, replicas: replicasOf(replicaSet) };
}

function replicasOf(object: KubeObject): number {
  return (object.spec as { replicas?: number } | undefined)?.replicas ?? 1;
}
