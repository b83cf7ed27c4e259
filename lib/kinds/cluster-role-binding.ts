import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { roleRef, subject } from './rbac-subject';
import { roleRefUpdateCauses } from './role-binding-update';

/**
 * rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole cluster-wide. roleRef
 * cannot change; a ServiceAccount subject names its namespace. Stored and validated only; the
 * `cluster-admin` binding to group `system:masters` is created at startup.
 */
export const ClusterRoleBinding = z.object({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('ClusterRoleBinding'),
  metadata: emptyByDefault(ObjectMeta),
  roleRef: emptyByDefault(roleRef(['ClusterRole'])).describe('The ClusterRole that is granted; immutable.'),
  subjects: z
    .array(subject({ namespaced: false }))
    .optional()
    .describe('The users, groups and service accounts the role is granted to.'),
});
export type ClusterRoleBinding = z.infer<typeof ClusterRoleBinding>;

export const ClusterRoleBindingKind: KindInfo = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'path-segment',
  schema: ClusterRoleBinding,
  validateUpdate: roleRefUpdateCauses,
  fieldSelectors: {},
};
