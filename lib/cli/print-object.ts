import { stringify } from 'yaml';
import type { KubeObject } from '../kinds/meta';
import { CliError } from './cli-error';
import type { ApiResource } from './discovery';
import { qualifiedName } from './discovery';

export type OutputFormat = 'table' | 'wide' | 'yaml' | 'json' | 'name';
const FORMATS: readonly OutputFormat[] = ['table', 'wide', 'yaml', 'json', 'name'];

/** `-o` checked: kubectl's names for the formats skiff prints. */
export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return 'table';
  if ((FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CliError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: json,name,wide,yaml`,
  );
}

/**
 * One object or a list of them in a structured format. Several objects print as a `v1 List`, as
 * kubectl does; YAML documents of a watch are separated by `---`.
 */
export function formatObjects(
  objects: KubeObject[],
  format: 'yaml' | 'json',
  resource: ApiResource,
  asList: boolean,
): string {
  // Lists leave apiVersion and kind out of their items; kubectl puts them back. As kubectl get
  // does unless asked, managedFields are left out: they are for the server, and long.
  const withKind = objects.map((o) => ({
    ...o,
    apiVersion: o.apiVersion ?? resource.apiVersion,
    kind: o.kind ?? resource.kind,
    ...(o.metadata?.managedFields ? { metadata: withoutManagedFields(o.metadata) } : {}),
  }));
  const body = asList
    ? { apiVersion: 'v1', kind: 'List', items: withKind, metadata: { resourceVersion: '' } }
    : withKind[0];
  return format === 'json' ? `${JSON.stringify(body, null, 4)}\n` : stringify(body);
}

/** `-o name`: `deployment.apps/web` per object. */
export function nameLines(objects: KubeObject[], resource: ApiResource): string[] {
  return objects.map((o) => qualifiedName(resource, o.metadata.name ?? ''));
}

function withoutManagedFields(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  const { managedFields: _managedFields, ...rest } = metadata;
  return rest;
}
