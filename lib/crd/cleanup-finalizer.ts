import { CustomResourceDefinitionKind } from '../kinds/custom-resource-definition';
import type { KubeObject } from '../kinds/meta';
import { getIfPresent } from '../store/get-if-present';
import type { ObjectStore } from '../store/object-store';
import { CLEANUP_FINALIZER } from './stored-custom-kinds';

/**
 * What kube-apiserver's CRD storage does before deleting a CRD: adds the `customresourcecleanup`
 * finalizer, so the delete only marks the CRD and its objects are deleted before it goes
 * (StoredCustomKinds finalizes it). A CRD already being deleted, or already holding it, is left.
 */
export async function holdForCleanup(store: ObjectStore, name: string): Promise<void> {
  const crd = await getIfPresent(store, CustomResourceDefinitionKind, undefined, name);
  if (!crd || crd.metadata.deletionTimestamp || crd.metadata.finalizers?.includes(CLEANUP_FINALIZER)) return;
  await store.update(CustomResourceDefinitionKind, {
    ...crd,
    metadata: { ...crd.metadata, finalizers: [...(crd.metadata.finalizers ?? []), CLEANUP_FINALIZER] },
  } as KubeObject);
}
