import type { KubeObject, OwnerReference } from '../../kinds/meta';

/** The owner reference marked `controller: true`, if any: an object has at most one controller. */
export function controllerRefOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.controller === true);
}

/**
 * The reference a ReplicaSet puts on the pods it controls: `blockOwnerDeletion` lets a foreground
 * deletion of the ReplicaSet wait for its pods, as kube's controllers set it.
 */
export function controllerRefTo(replicaSet: KubeObject): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: replicaSet.metadata.name ?? '',
    uid: replicaSet.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
