import type { FieldCause } from '../../kinds/errors';
import { defaultCauses } from './default-check';
import type { JSONSchemaProps } from './json-schema-props';
import { openAPISchemaCauses } from './openapi-schema-check';
import { structuralCauses } from './structural-check';

/**
 * Validates one CRD version's `schema.openAPIV3Schema` as kube-apiserver does when a v1 CRD is
 * created (validateCustomResourceDefinitionValidation): the structural rules first, sorted, and
 * only when they pass the defaults; then the per-keyword OpenAPI rules. `path` is where the schema
 * sits, e.g. `spec.versions[0].schema.openAPIV3Schema`.
 *
 * Not covered here: CEL rule compilation and cost, the status-subresource root restriction,
 * selectableFields, and defaults inside metadata (see the report of issue 12).
 *
 * @example
 *   validateCRDSchema({ type: 'object', properties: { spec: {} } }, 'spec.versions[0].schema.openAPIV3Schema')
 *   // [{ field: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].type',
 *   //    message: 'Required value: must not be empty for specified object fields', ... }]
 */
export function validateCRDSchema(schema: JSONSchemaProps, path: string): FieldCause[] {
  const structural = structuralCauses(schema, path);
  const causes = structural.length > 0 ? structural : defaultCauses(schema, path);
  return [...causes, ...openAPISchemaCauses(schema, path)];
}
