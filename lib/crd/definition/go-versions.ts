import { GoValue } from '../../kinds/field-error';
import type { InternalVersion } from './internal-spec';

/**
 * `spec.versions` as kube prints it as the bad value of its version-list errors: Go's %#v of the
 * internal []apiextensions.CustomResourceDefinitionVersion (no versions print as a nil list, as a
 * manifest without the field does). A set pointer field prints as an
 * address in Go, which no one can reproduce; Skiff prints a fixed one (0xc000000000) so the rest
 * of the text still matches.
 */
const POINTER = '0xc000000000';

export function goVersionsValue(versions: InternalVersion[]): GoValue {
  const type = 'apiextensions.CustomResourceDefinitionVersion';
  if (versions.length === 0) return new GoValue(`[]${type}(nil)`);
  return new GoValue(`[]${type}{${versions.map(goVersion).join(', ')}}`);
}

function pointer(type: string, value: unknown): string {
  return `(*${type})(${value === undefined ? 'nil' : POINTER})`;
}

function goVersion(v: InternalVersion): string {
  const columns = v.additionalPrinterColumns;
  const fields = v.selectableFields;
  const columnType = 'apiextensions.CustomResourceColumnDefinition';
  const fieldType = 'apiextensions.SelectableField';
  return (
    `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(v.name)}, Served:${v.served}, ` +
    `Storage:${v.storage}, Deprecated:${v.deprecated}, ` +
    `DeprecationWarning:${pointer('string', v.deprecationWarning)}, ` +
    `Schema:${pointer('apiextensions.CustomResourceValidation', v.schema)}, ` +
    `Subresources:${pointer('apiextensions.CustomResourceSubresources', v.subresources)}, ` +
    `AdditionalPrinterColumns:${
      columns
        ? `[]${columnType}{${columns
            .map(
              (c) =>
                `${columnType}{Name:${JSON.stringify(c.name)}, Type:${JSON.stringify(c.type)}, ` +
                `Format:${JSON.stringify(c.format ?? '')}, Description:${JSON.stringify(c.description ?? '')}, ` +
                `Priority:${c.priority ?? 0}, JSONPath:${JSON.stringify(c.jsonPath)}}`,
            )
            .join(', ')}}`
        : `[]${columnType}(nil)`
    }, ` +
    `SelectableFields:${
      fields
        ? `[]${fieldType}{${fields.map((f) => `${fieldType}{JSONPath:${JSON.stringify(f.jsonPath)}}`).join(', ')}}`
        : `[]${fieldType}(nil)`
    }}`
  );
}
