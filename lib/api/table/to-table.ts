import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject, ListMeta } from '../../kinds/meta';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
import { columnsOf } from './kind-columns';

/**
 * Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for in its Accept header:
 * the server chooses the columns, so kubectl shows READY, STATUS and friends for every kind.
 */
export function wantsTable(request: ApiRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((type) => /;\s*as=Table/.test(type) && /;\s*g=meta\.k8s\.io/.test(type));
}

/** The row object kube sends per `includeObject`: nothing, its metadata (the default), or all of it. */
function rowObject(object: KubeObject, include: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** Renders objects of one kind as a Table. */
export function toTable(
  kind: KindInfo,
  objects: KubeObject[],
  metadata: ListMeta | Record<string, never>,
  request: ApiRequest,
) {
  const include = request.query.includeObject ?? 'Metadata';
  if (!['None', 'Metadata', 'Object'].includes(include))
    throw new BadRequestError(
      `includeObject must be one of None, Metadata, Object; got "${include}"`,
      'includeObject',
    );
  const columns = kind.printerColumns ?? columnsOf(kind.kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map(({ cell: _cell, ...definition }) => ({ format: '', ...definition })),
    rows: objects.map((object) => ({
      cells: columns.map((c) => c.cell(object)),
      object: rowObject(object, include),
    })),
  };
}
