import type { KubeObject, OwnerReference } from '../../../../lib/kinds/meta';

/** A reference to `owner` as a controller writes it: blocking its deletion unless told otherwise. */
export function referenceTo(owner: KubeObject, blockOwnerDeletion = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    blockOwnerDeletion,
  };
}

/** `manifest` with these ownerReferences. */
export function ownedBy<T extends { metadata?: object }>(manifest: T, ...refs: OwnerReference[]): T {
  return { ...manifest, metadata: { ...manifest.metadata, ownerReferences: refs } };
}
