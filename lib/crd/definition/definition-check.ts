import type {
  CustomResourceDefinition,
  CustomResourceDefinitionSpec,
} from '../../kinds/custom-resource-definition';
import type { FieldCause } from '../../kinds/errors';
import { invalid, notSupported, required } from './causes';
import { conversionCauses, type ConversionOptions } from './conversion-check';
import { goStrings } from './go-values';
import { goVersionsValue } from './go-versions';
import { toInternalSpec } from './internal-spec';
import { dns1035LabelErrors } from '../../kinds/names';
import {
  apiApprovalCauses,
  crdNameCauses,
  groupCauses,
  namesCauses,
  requiredNamesCauses,
} from './names-check';
import { schemaHasDefaults } from './schema-walk';
import {
  columnCauses,
  deprecationWarningCauses,
  schemaCauses,
  selectableFieldsCauses,
  subresourcesCauses,
} from './version-check';

/**
 * kube-apiserver 1.32's ValidateCustomResourceDefinition for a v1 CRD as decoded (defaults
 * applied): the causes of a 422, in kube's order, with kube's field paths, which are those of the
 * internal version (see internal-spec.ts). Status rules that depend on the stored object
 * (storedVersions kept across updates) are crdUpdateCauses'.
 */
export function crdCauses(crd: CustomResourceDefinition): FieldCause[] {
  const { spec } = crd;
  return [
    ...crdNameCauses(crd.metadata, spec.names, spec.group),
    ...specCauses(spec),
    ...namesCauses(crd.status?.acceptedNames ?? {}, 'status.acceptedNames'),
    // After kube's PrepareForCreate, storedVersions holds the storage version, if there is one.
    ...((crd.status?.storedVersions ?? []).length === 0
      ? [invalid('status.storedVersions', goStrings(undefined), 'must have at least one stored version')]
      : []),
    ...apiApprovalCauses(spec.group, crd.metadata.annotations),
    ...preserveUnknownFieldsCauses(spec),
  ];
}

/** validatePreserveUnknownFields: v1 CRDs prune; the schema's extension keeps fields instead. */
export function preserveUnknownFieldsCauses(spec: CustomResourceDefinitionSpec): FieldCause[] {
  if (spec.preserveUnknownFields !== true) return [];
  return [
    invalid(
      'spec.preserveUnknownFields',
      true,
      'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ),
  ];
}

/** validateCustomResourceDefinitionSpec with the options of a v1 create. */
export function specCauses(
  spec: CustomResourceDefinitionSpec,
  conversionOptions?: ConversionOptions,
): FieldCause[] {
  const internal = toInternalSpec(spec);
  const versions = internal.versions;
  const preserveUnknownFields = spec.preserveUnknownFields ?? false;
  const causes: FieldCause[] = [...groupCauses(spec.group)];
  if (spec.scope === '') causes.push(required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced')
    causes.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  if (!internal.validation?.openAPIV3Schema)
    versions.forEach((v, i) => {
      if (!v.schema?.openAPIV3Schema)
        causes.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    });
  const schemas = [internal.validation, ...versions.map((v) => v.schema)];
  if (
    preserveUnknownFields &&
    schemas.some((s) => s?.openAPIV3Schema && schemaHasDefaults(s.openAPIV3Schema))
  )
    causes.push(
      invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'),
    );

  const statusOf = (subresources: typeof internal.subresources) => subresources?.status !== undefined;
  const names = new Set<string>();
  let unique = true;
  let storageCount = 0;
  versions.forEach((version, i) => {
    const path = `spec.versions[${i}]`;
    if (version.storage) storageCount++;
    if (names.has(version.name)) unique = false;
    names.add(version.name);
    const nameErrors = dns1035LabelErrors(version.name);
    if (nameErrors.length > 0) causes.push(invalid(`${path}.name`, version.name, nameErrors.join(',')));
    const subresources = internal.subresources ?? version.subresources;
    causes.push(
      ...deprecationWarningCauses(version.deprecated, version.deprecationWarning, path),
      ...schemaCauses(version.schema, statusOf(subresources), `${path}.schema`),
      ...subresourcesCauses(version.subresources, `${path}.subresources`),
      ...(version.additionalPrinterColumns ?? []).flatMap((c, j) =>
        columnCauses(c, `${path}.additionalPrinterColumns[${j}]`),
      ),
      ...selectableFieldsCauses(version.selectableFields, version.schema?.openAPIV3Schema, path, false),
    );
  });
  if (!unique)
    causes.push(
      invalid('spec.versions', goVersionsValue(internal.versions), 'must contain unique version names'),
    );
  if (storageCount !== 1)
    causes.push(
      invalid(
        'spec.versions',
        goVersionsValue(internal.versions),
        'must have exactly one version marked as storage version',
      ),
    );
  if (internal.version !== '') {
    const errors = dns1035LabelErrors(internal.version);
    if (errors.length > 0) causes.push(invalid('spec.version', internal.version, errors.join(',')));
  }
  causes.push(...requiredNamesCauses(spec.names), ...namesCauses(spec.names, 'spec.names'));
  const anyStatus = statusOf(internal.subresources) || versions.some((v) => statusOf(v.subresources));
  causes.push(
    ...schemaCauses(internal.validation, anyStatus, 'spec.validation'),
    ...subresourcesCauses(internal.subresources, 'spec.subresources'),
    ...(internal.additionalPrinterColumns ?? []).flatMap((c, j) =>
      columnCauses(c, `spec.additionalPrinterColumns[${j}]`),
    ),
    ...selectableFieldsCauses(internal.selectableFields, internal.validation?.openAPIV3Schema, 'spec', true),
  );
  const strategy = spec.conversion?.strategy;
  if (spec.conversion && strategy !== 'None' && preserveUnknownFields)
    causes.push(
      invalid('spec.conversion.strategy', strategy, 'must be None if spec.preserveUnknownFields is true'),
    );
  causes.push(...conversionCauses(spec.conversion, conversionOptions));
  return causes;
}
