import type {
  CustomResourceDefinition,
  CustomResourceDefinitionStatus,
} from '../../kinds/custom-resource-definition';

/**
 * kube's CRD strategy (pkg/registry/customresourcedefinition/strategy.go): what the server sets
 * on a CRD as it is written, beside what every kind gets.
 */

/** The storage version's name, if one version is marked so (the first, as kube reads it). */
export function storageVersionOf(crd: Pick<CustomResourceDefinition, 'spec'>): string | undefined {
  return crd.spec.versions.find((v) => v.storage)?.name;
}

/**
 * PrepareForCreate: the client's status is dropped, and the new CRD starts with its storage
 * version as its only stored version (and kube's empty accepted names, which the naming
 * controller fills in).
 */
export function prepareCRDForCreate(crd: CustomResourceDefinition): CustomResourceDefinition {
  const storage = storageVersionOf(crd);
  const status: CustomResourceDefinitionStatus = {
    acceptedNames: { plural: '', kind: '' },
    storedVersions: storage === undefined ? [] : [storage],
  };
  return { ...crd, status };
}

/**
 * PrepareForUpdate's storedVersions: the old ones, with the (new) storage version appended when
 * it is not among them yet. Objects written from now on are stored in that version.
 */
export function storedVersionsAfterUpdate(
  crd: Pick<CustomResourceDefinition, 'spec'>,
  old: Pick<CustomResourceDefinition, 'status'>,
): string[] {
  const stored = [...(old.status?.storedVersions ?? [])];
  const storage = storageVersionOf(crd);
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
  return stored;
}

/** Whether the CRD's Established condition is True: its kind is served. */
export function isEstablished(crd: Pick<CustomResourceDefinition, 'status'>): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}
