import type { CustomResourceDefinition } from '../../kinds/custom-resource-definition';
import type { FieldCause } from '../../kinds/errors';
import { invalid } from './causes';
import { goBytes, goStrings } from './go-values';
import { caBundleError } from './ca-bundle';
import { isEstablished, storedVersionsAfterUpdate } from './prepare';

/**
 * What kube-apiserver 1.32's ValidateCustomResourceDefinitionUpdate adds to the create rules (which
 * the kind's schema already checked on the new object) for an update of `old` to `crd`:
 *
 * - `spec.group` and `spec.names.plural` never change (they make the CRD's name);
 * - once the CRD is Established, `spec.scope` and `spec.names.kind` never change (they shape
 *   stored objects);
 * - every version in status.storedVersions (the old ones, plus the new storage version, as
 *   kube's PrepareForUpdate records it) must stay in spec.versions: objects may still be stored
 *   in it, so a version is dropped from storedVersions (by a storage migration) before it is
 *   removed from the spec;
 * - once Established with a valid (or no) conversion webhook CA bundle, a new bundle must load.
 *
 * The ratchets kube applies to objects it stored under older rules do not arise: Skiff never
 * stored a CRD its create rules refused.
 */
export function crdUpdateCauses(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldCause[] {
  const causes: FieldCause[] = [];
  const immutable = (field: string, next: string, before: string) => {
    if (next !== before) causes.push(invalid(field, next, 'field is immutable'));
  };
  const established = isEstablished(old);
  if (established) {
    immutable('spec.scope', crd.spec.scope, old.spec.scope);
    immutable('spec.names.kind', crd.spec.names.kind, old.spec.names.kind);
  }
  immutable('spec.group', crd.spec.group, old.spec.group);
  immutable('spec.names.plural', crd.spec.names.plural, old.spec.names.plural);
  causes.push(...caBundleUpdateCauses(crd, old, established));
  causes.push(...storedVersionsCauses(crd, old));
  return causes;
}

/** allowInvalidCABundle: a bundle is checked once established, unless the old one was already bad. */
function caBundleUpdateCauses(
  crd: CustomResourceDefinition,
  old: CustomResourceDefinition,
  established: boolean,
): FieldCause[] {
  const oldBundle = old.spec.conversion?.webhook?.clientConfig?.caBundle;
  const allowInvalid =
    !established || (oldBundle !== undefined && oldBundle !== '' && caBundleError(oldBundle) !== undefined);
  const bundle = crd.spec.conversion?.webhook?.clientConfig?.caBundle;
  if (allowInvalid || crd.spec.conversion?.strategy !== 'Webhook' || !bundle) return [];
  const error = caBundleError(bundle);
  if (!error) return [];
  return [invalid('spec.conversion.webhookClientConfig.caBundle', goBytes(bundle), error)];
}

/** ValidateCustomResourceDefinitionStoredVersions, on the storedVersions kube's update would store. */
function storedVersionsCauses(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldCause[] {
  const stored = storedVersionsAfterUpdate(crd, old);
  if (stored.length === 0) return []; // the schema reports "must have at least one stored version"
  const versions = crd.spec.versions;
  const causes: FieldCause[] = [];
  for (const v of versions)
    if (v.storage && !stored.includes(v.name))
      causes.push(
        invalid('status.storedVersions', goStrings(stored), `must have the storage version ${v.name}`),
      );
  const served = new Set(versions.map((v) => v.name));
  stored.forEach((name, i) => {
    if (!served.has(name) && stored.lastIndexOf(name) === i)
      causes.push(invalid(`status.storedVersions[${i}]`, name, 'must appear in spec.versions'));
  });
  return causes;
}
