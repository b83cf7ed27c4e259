import { checkStatusUpdate, checkUpdate } from '../../kinds/update-checks';
import type { KubeObject } from '../../kinds/meta';
import { prepareUpdate } from '../../store/server-fields';
import type { ResourceRoute } from '../route';

/**
 * The update checks the store would run on a real write of `object` over `current`, for a dry
 * run, which never reaches the store: the kind's validateUpdate on the main resource, or on
 * `/status` its validateStatusUpdate over the object the store would write (the stored one with
 * the written status). kube validates dry runs as it validates writes.
 */
export function runUpdateChecks(route: ResourceRoute, object: KubeObject, current: KubeObject): void {
  if (route.subresource !== 'status') return checkUpdate(route.kind, object, current);
  const next = prepareUpdate(route.kind, current, object, 'status');
  if (next) checkStatusUpdate(route.kind, next, current);
}
