import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinitionSpec,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
  SelectableField,
} from '../../kinds/custom-resource-definition';
import type { JSONSchemaProps } from '../schema/json-schema-props';

/**
 * A v1 CRD spec as kube-apiserver validates it: in the internal apiextensions version. The v1 to
 * internal conversion (Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_...) sets
 * `version` to the first version's name and, for each of the schema, subresources, printer
 * columns and selectable fields, moves a value all versions share to the top level and clears it
 * in the versions. Validation runs on that form, so an error in the schema of a single-version
 * CRD is reported at `spec.validation.openAPIV3Schema...`, not `spec.versions[0].schema...`, and
 * a bad first version name at both `spec.versions[0].name` and `spec.version`.
 */
export interface InternalVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: CustomResourceSubresources;
  additionalPrinterColumns?: CustomResourceColumnDefinition[];
  selectableFields?: SelectableField[];
}

export interface InternalSpec {
  version: string;
  validation?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: CustomResourceSubresources;
  additionalPrinterColumns?: CustomResourceColumnDefinition[];
  selectableFields?: SelectableField[];
  versions: InternalVersion[];
}

export function toInternalSpec(spec: CustomResourceDefinitionSpec): InternalSpec {
  const v1 = spec.versions;
  if (v1.length === 0) return { version: '', versions: [] };
  const versions: InternalVersion[] = v1.map((v) => ({ ...v, deprecated: v.deprecated ?? false }));
  const out: InternalSpec = { version: v1[0].name, versions };
  const shared = <K extends keyof CustomResourceDefinitionVersion>(key: K, emptyIsUnset: boolean) => {
    const norm = (value: unknown) =>
      canonical(
        emptyIsUnset && Array.isArray(value) && value.length === 0
          ? undefined
          : key === 'additionalPrinterColumns'
            ? (value as CustomResourceColumnDefinition[] | undefined)?.map(goColumn)
            : value,
      );
    const first = norm(v1[0][key]);
    return v1.every((v) => norm(v[key]) === first);
  };
  if (shared('schema', false)) {
    out.validation = v1[0].schema;
    for (const v of versions) delete v.schema;
  }
  if (shared('subresources', false)) {
    out.subresources = v1[0].subresources;
    for (const v of versions) delete v.subresources;
  }
  if (shared('additionalPrinterColumns', true)) {
    out.additionalPrinterColumns = v1[0].additionalPrinterColumns;
    for (const v of versions) delete v.additionalPrinterColumns;
  }
  if (shared('selectableFields', true)) {
    out.selectableFields = v1[0].selectableFields;
    for (const v of versions) delete v.selectableFields;
  }
  return out;
}

/** A printer column with Go's zero values filled in: an empty format equals an absent one. */
function goColumn(c: CustomResourceColumnDefinition): Required<CustomResourceColumnDefinition> {
  return {
    name: c.name,
    type: c.type,
    format: c.format ?? '',
    description: c.description ?? '',
    priority: c.priority ?? 0,
    jsonPath: c.jsonPath,
  };
}

/**
 * JSON with sorted keys, for Semantic.DeepEqual: equal for values Go would find equal.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}
