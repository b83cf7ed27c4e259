import type { KubeObject } from '../../kinds/meta';
import type { ApiRequest } from '../http';
import type { ResourceRoute } from '../route';
import { recordUpdate } from '../patch/server-side-apply/field-manager';
import type { ManagedFieldsEntry } from '../patch/server-side-apply/managed-fields';
import { InvalidObjectError } from '../../kinds/errors';
import { fieldManagerCauses, updateManagerOf } from '../patch/server-side-apply/patch-options';
import { writeOptionsKind } from './invalid-options';
import { MAX_OBJECT_BYTES } from '../../store/dynamo-object-store';
import { TooLargeError } from '../../store/errors';

/** Sets an object's managedFields; none at all leaves the field out, as kube-apiserver does. */
export function setManagedFields(object: KubeObject, entries: ManagedFieldsEntry[]): void {
  if (entries.length > 0) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
}

/**
 * Records a create, update or non-apply patch in `object.metadata.managedFields`, as
 * kube-apiserver's field manager does on every write: the writer (its `fieldManager`, else its
 * User-Agent) gets an Update entry for the fields it set or changed. `live` is the stored object,
 * undefined for a create. A `fieldManager` over 128 bytes or with unprintable characters is 422 on
 * `CreateOptions`, `UpdateOptions` or `PatchOptions`, as kube-apiserver validates it.
 */
export function recordWriteManager(
  route: ResourceRoute,
  request: ApiRequest,
  live: KubeObject | undefined,
  object: KubeObject,
): void {
  const requested = request.query.fieldManager;
  const causes = requested ? fieldManagerCauses(requested) : [];
  if (causes.length > 0)
    throw new InvalidObjectError(
      { kind: writeOptionsKind(request.method), group: 'meta.k8s.io' },
      '',
      causes,
    );
  refuseTooLarge(route, object);
  const { subresource } = route;
  const scope = {
    kind: route.kind,
    manager: updateManagerOf(request),
    ...(subresource ? { subresource } : {}),
  };
  setManagedFields(object, recordUpdate(scope, live, object));
}

/**
 * An object already over the store's limit without its managedFields cannot be stored with them:
 * refused before the field sets are computed, which for 40,000 keys costs far more than the check.
 */
function refuseTooLarge(route: ResourceRoute, object: KubeObject): void {
  const { managedFields: _managed, ...metadata } = object.metadata;
  const bytes = Buffer.byteLength(JSON.stringify({ ...object, metadata }));
  if (bytes > MAX_OBJECT_BYTES)
    throw new TooLargeError(
      {
        group: route.kind.group,
        plural: route.kind.plural,
        namespace: route.kind.namespaced ? (object.metadata.namespace ?? route.namespace) : undefined,
        name: object.metadata.name ?? route.name ?? '',
      },
      bytes,
      MAX_OBJECT_BYTES,
    );
}
