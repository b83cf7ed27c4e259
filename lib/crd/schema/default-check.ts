import type { FieldCause } from '../../kinds/errors';
import { invalidValue } from '../../kinds/field-error';
import { goBadValue } from './go-value';
import { itemSchemaOf, type JSONSchemaProps } from './json-schema-props';
import { pruneUnknownFields } from './prune';
import { validateAgainstSchema } from './validate';

/**
 * Checks every `default` of a CRD schema as kube-apiserver does on create (pkg/apiserver/schema/
 * defaulting/validation.go, ValidateDefaults with requirePrunedDefaults): a default must survive
 * pruning unchanged (`must not have unknown fields`) and must validate against its own schema,
 * the errors named below `<path>.default` as kube-openapi names them. Kube walks items and
 * properties (not additionalProperties), and so does this.
 *
 * Not checked: defaults under the root's or an embedded resource's metadata (kube coerces and
 * validates them as ObjectMeta; defaults at the root's metadata are refused separately).
 */
export function defaultCauses(schema: JSONSchemaProps, path: string): FieldCause[] {
  return walk(schema, path, true);
}

function walk(s: JSONSchemaProps | undefined, path: string, isResourceRoot: boolean): FieldCause[] {
  if (!s) return [];
  const causes: FieldCause[] = [];
  const embedded = isResourceRoot || s['x-kubernetes-embedded-resource'] === true;
  if (s.default !== undefined && s.default !== null) {
    const pruned = structuredClone(s.default);
    pruneUnknownFields(pruned, s, { isResourceRoot: embedded });
    if (!jsonEqual(pruned, s.default))
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${path}.default`,
        message: invalidValue(goBadValue(s.default), 'must not have unknown fields'),
      });
    causes.push(...validateAgainstSchema(s, s.default, { fieldPath: `${path}.default` }));
  }
  causes.push(...walk(itemSchemaOf(s), `${path}.items`, false));
  for (const [name, property] of Object.entries(s.properties ?? {})) {
    if (embedded && (name === 'metadata' || name === 'apiVersion' || name === 'kind')) continue;
    causes.push(...walk(property, `${path}.properties[${name}]`, false));
  }
  return causes;
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return sortedJson(a) === sortedJson(b);
}
