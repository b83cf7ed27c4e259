import type { CustomResourceDefinition } from '../../kinds/custom-resource-definition';

/**
 * kube's SetDefaults_CustomResourceDefinition (apiextensions/v1 defaults.go), applied when a CRD
 * is decoded: the singular name is the lower-cased kind, the list kind is the kind + `List`, the
 * conversion strategy is None, and a CRD without stored versions records its storage version.
 * (A webhook service's port defaults to 443 in the zod schema itself.)
 *
 * @example
 *   applyCRDDefaults(crd).spec.names // { plural: 'backups', kind: 'Backup', singular: 'backup', listKind: 'BackupList' }
 */
export function applyCRDDefaults(crd: CustomResourceDefinition): CustomResourceDefinition {
  const { spec } = crd;
  const names = { ...spec.names };
  if (!names.singular) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  const conversion = spec.conversion ?? { strategy: 'None' };
  const out: CustomResourceDefinition = { ...crd, spec: { ...spec, names, conversion } };
  if ((crd.status?.storedVersions ?? []).length === 0) {
    const storage = spec.versions.find((v) => v.storage);
    if (storage) out.status = { ...crd.status, storedVersions: [storage.name] };
  }
  return out;
}
