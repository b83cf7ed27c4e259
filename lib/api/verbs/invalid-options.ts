import { InvalidObjectError, type FieldCause } from '../../kinds/errors';
import { reasonOfMessage } from '../../kinds/field-error';

/** The meta.k8s.io option kinds whose query parameters kube-apiserver validates. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/**
 * A request option kube refuses in its Validate*Options (an unknown `fieldValidation` or
 * `propagationPolicy`): 422 Invalid, as kube answers it with `errors.NewInvalid(
 * GroupKind{meta.k8s.io, CreateOptions}, "", errs)`, e.g.
 * `CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "x": ...`.
 */
export function invalidOptions(kind: OptionsKind, field: string, message: string): InvalidObjectError {
  const cause: FieldCause = { reason: reasonOfMessage(message), message, field };
  return new InvalidObjectError({ kind, group: 'meta.k8s.io' }, '', [cause]);
}

/** The options kind of a write's method: POST creates, PUT updates, PATCH patches. */
export function writeOptionsKind(method: string): OptionsKind {
  if (method === 'PUT') return 'UpdateOptions';
  if (method === 'PATCH') return 'PatchOptions';
  return 'CreateOptions';
}
