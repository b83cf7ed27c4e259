import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { roleRef, subject } from './rbac-subject';
import { roleRefUpdateCauses } from './role-binding-update';

/**
 * rbac.authorization.k8s.io/v1 RoleBinding: grants a Role, or a ClusterRole's permissions, to
 * subjects within the binding's namespace. roleRef cannot change. Stored and validated only.
 */
export const RoleBinding = z.object({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('RoleBinding'),
  metadata: emptyByDefault(ObjectMeta),
  roleRef: emptyByDefault(roleRef(['Role', 'ClusterRole'])).describe(
    'The Role in this namespace, or the ClusterRole, that is granted; immutable.',
  ),
  subjects: z
    .array(subject({ namespaced: true }))
    .optional()
    .describe('The users, groups and service accounts the role is granted to.'),
});
export type RoleBinding = z.infer<typeof RoleBinding>;

export const RoleBindingKind: KindInfo = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'path-segment',
  schema: RoleBinding,
  validateUpdate: roleRefUpdateCauses,
  fieldSelectors: {},
};
