import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { policyRule } from './policy-rule';

/**
 * rbac.authorization.k8s.io/v1 Role: a set of permissions within one namespace. Skiff stores and
 * validates it as kube does; enforcing it is the API's authorizer's business (docs/api.md).
 */
export const Role = z.object({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('Role'),
  metadata: emptyByDefault(ObjectMeta),
  rules: z
    .array(policyRule({ namespaced: true }))
    .optional()
    .describe('The permissions the role grants, each a verb list over resources.'),
});
export type Role = z.infer<typeof Role>;

export const RoleKind: KindInfo = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'path-segment',
  schema: Role,
  fieldSelectors: {},
};
