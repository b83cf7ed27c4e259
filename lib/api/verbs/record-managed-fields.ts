import type { KubeObject } from '../../kinds/meta';
import type { ApiRequest } from '../http';
import type { ResourceRoute } from '../route';
import { recordUpdate } from '../patch/server-side-apply/field-manager';
import { updateManagerOf } from '../patch/server-side-apply/patch-options';

/**
 * Records a create, update or non-apply patch in `object.metadata.managedFields`, as
 * kube-apiserver's field manager does on every write: the writer (its `fieldManager`, else its
 * User-Agent) gets an Update entry for the fields it set or changed. `live` is the stored object,
 * undefined for a create.
 */
export function recordWriteManager(
  route: ResourceRoute,
  request: ApiRequest,
  live: KubeObject | undefined,
  object: KubeObject,
): void {
  const { subresource } = route;
  const scope = {
    kind: route.kind,
    manager: updateManagerOf(request),
    ...(subresource ? { subresource } : {}),
  };
  object.metadata.managedFields = recordUpdate(scope, live, object);
}
