import type { FieldCause } from '../../kinds/errors';
import { applyDefaults, pruneNullsWithoutDefaults } from './defaults';
import type { JSONSchemaProps } from './json-schema-props';
import { coerceEmbeddedMetadata } from './embedded-metadata';
import { embeddedResourceCauses } from './embedded-resource-check';
import { listTypeCauses } from './list-type-check';
import { pruneUnknownFields } from './prune';
import { validateAgainstSchema } from './validate';
import { celRuleCauses, rulesNotCheckedCause } from './cel-rules';
import { Correlation } from './correlation';

export interface PreparedCustomResource {
  /** The object as kube would store it: pruned and defaulted (a copy; the input is untouched). */
  object: unknown;
  /** Pruned paths (`spec.foo`): `unknown field "spec.foo"` warnings, or a strict decoding error. */
  unknownFields: string[];
  /** Schema violations as Kubernetes causes; empty when the object is valid. */
  causes: FieldCause[];
}

/**
 * Runs a written custom resource through its CRD version's schema in kube-apiserver's order
 * (customresource_handler.go, unstructuredSchemaCoercer, then the codec, then the strategy):
 * prune unknown fields and non-nullable nulls that have no default, pass embedded resources'
 * metadata through ObjectMeta, apply defaults, then validate against the schema, embedded
 * resources' apiVersion/kind/metadata, list-set and list-map uniqueness, and then, unless those
 * found a blocking error, the CEL rules (cel-rules.ts). With
 * `preserveUnknownFields` (the CRD's spec.preserveUnknownFields, v1beta1 heritage) nothing is pruned.
 *
 * The root's own ObjectMeta and apiVersion/kind checks are not here: those are the API's, as for
 * built-in kinds.
 */
export function prepareCustomResource(
  input: unknown,
  schema: JSONSchemaProps,
  options: { preserveUnknownFields?: boolean; validate?: boolean } = {},
): PreparedCustomResource {
  const object = structuredClone(input);
  let unknownFields: string[] = [];
  if (!options.preserveUnknownFields) {
    unknownFields = pruneUnknownFields(object, schema, { isResourceRoot: true });
    pruneNullsWithoutDefaults(object, schema);
  }
  unknownFields.push(...coerceEmbeddedMetadata(object, schema));
  applyDefaults(object, schema);
  const causes = options.validate === false ? [] : customResourceCauses(schema, object);
  return { object, unknownFields, causes };
}

/**
 * The causes a prepared custom resource gets from its schema, in kube-apiserver's order (the
 * strategy's Validate, or its ValidateUpdate when `old`, the stored object, is given): the
 * schema's validation, embedded resources, list-set and list-map uniqueness, then the CEL rules
 * unless those found a blocking error.
 *
 * An update is ratcheted as kube's CRDValidationRatcheting (on by default since 1.30, GA in 1.33)
 * ratchets it: a schema error or a rule's failure under a node that equals the stored one
 * (./correlation.ts) is forgiven, so an object stored before its schema tightened can still be
 * updated elsewhere; list uniqueness is checked only when the stored object passed it. Transition
 * rules and embedded resources are not ratcheted.
 *
 * `scope` 'status' is a write to the `/status` subresource, as kube's status strategy validates
 * it: the schema (and embedded resources) only under `status`, since the rest is the stored
 * object's; list uniqueness and the CEL rules over the whole object, transition rules included.
 */
export function customResourceCauses(
  schema: JSONSchemaProps,
  object: unknown,
  old?: unknown,
  scope: 'object' | 'status' = 'object',
): FieldCause[] {
  const stored = old === undefined ? undefined : new Correlation(object, old, schema);
  const lists =
    old === undefined || listTypeCauses(schema, old).length === 0 ? listTypeCauses(schema, object) : [];
  const schemaCauses = [
    ...validateAgainstSchema(schema, object, {}, stored),
    ...embeddedResourceCauses(schema, object),
  ];
  const causes = [
    ...(scope === 'status' ? schemaCauses.filter(isUnderStatus(object)) : schemaCauses),
    ...lists,
  ];
  // The CEL rules run only on an object without blocking errors; kube says so otherwise.
  const notChecked = rulesNotCheckedCause(causes, schema);
  causes.push(
    ...(notChecked.length > 0
      ? notChecked
      : celRuleCauses(schema, object, '', stored && { current: stored })),
  );
  return causes;
}

/**
 * Whether a cause is one kube's status validation reports: its statusSchemaValidator sees only
 * the `status` value, and only when the object has one.
 */
function isUnderStatus(object: unknown): (cause: FieldCause) => boolean {
  const hasStatus = typeof object === 'object' && object !== null && 'status' in object;
  return ({ field = '' }) =>
    hasStatus && (field === 'status' || field.startsWith('status.') || field.startsWith('status['));
}
