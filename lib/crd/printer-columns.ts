import type { Column } from '../kinds/table-column';
import { ageOf } from '../api/table/human-duration';
import type { KubeObject } from '../kinds/meta';
import { readJsonPath } from './json-path';

/** A CRD version's additionalPrinterColumns entry (apiextensions.k8s.io/v1). */
export interface PrinterColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
  cell: (o) => o.metadata.name ?? '',
};

/** kube's default for a CRD version without printer columns: an Age column of the creation time. */
const DEFAULT_COLUMNS: PrinterColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/**
 * The Table columns of a custom kind, as apiextensions-apiserver's table convertor makes them: Name,
 * then the version's additionalPrinterColumns (or Age), each cell the first value its JSONPath finds,
 * typed by its column (cellOf).
 */
export function printerColumnsOf(definitions: readonly PrinterColumnDefinition[] | undefined): Column[] {
  const columns = definitions && definitions.length > 0 ? definitions : DEFAULT_COLUMNS;
  return [
    NAME,
    ...columns.map((definition): Column => ({
      name: definition.name,
      type: definition.type as Column['type'],
      ...(definition.format ? { format: definition.format } : {}),
      description:
        definition.description ??
        'Custom resource definition column (in JSONPath format): ' + definition.jsonPath,
      priority: definition.priority ?? 0,
      cell: (object: KubeObject) => cellOf(definition.type, readJsonPath(object, definition.jsonPath)[0]),
    })),
  ];
}

/**
 * A found value as its column's cell, as the table convertor types it: integer and number cells
 * numbers, boolean ones booleans, string ones the value as text, date ones the time since it
 * (kube's HumanDuration, `<invalid>` for what is no timestamp); a value of another type, or none,
 * is null (kubectl prints `<none>`).
 */
function cellOf(type: string, value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'date': {
      if (typeof value !== 'string') return null;
      const at = Date.parse(value);
      return Number.isNaN(at) ? '<invalid>' : ageOf(value);
    }
    default:
      return null;
  }
}
