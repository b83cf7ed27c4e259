import type { FieldCause } from './errors';
import { formatBadValue, GoValue, invalidValue } from './field-error';
import type { KubeObject } from './meta';
import type { RoleRef } from './rbac-subject';

/**
 * ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: a binding's roleRef never changes
 * (delete and re-create the binding to grant another role). The bad value is printed as Go's %v
 * prints the struct: `rbac.RoleRef{APIGroup:"…", Kind:"…", Name:"…"}`.
 */
export function roleRefUpdateCauses(next: KubeObject, current: KubeObject): FieldCause[] {
  const before = current.roleRef as RoleRef;
  const after = next.roleRef as RoleRef;
  if (before.apiGroup === after.apiGroup && before.kind === after.kind && before.name === after.name)
    return [];
  const value = new GoValue(
    `rbac.RoleRef{APIGroup:${formatBadValue(after.apiGroup)}, Kind:${formatBadValue(after.kind)}, Name:${formatBadValue(after.name)}}`,
  );
  return [
    { reason: 'FieldValueInvalid', field: 'roleRef', message: invalidValue(value, 'cannot change roleRef') },
  ];
}
