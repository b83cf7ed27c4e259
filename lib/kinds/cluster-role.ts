import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { requiredValue } from './field-error';
import type { KindInfo } from './kind-info';
import { LabelSelector } from './label-selector';
import { ObjectMeta } from './meta';
import { policyRule } from './policy-rule';

/**
 * An AggregationRule: the ClusterRole's rules are the union of the rules of the ClusterRoles its
 * selectors match (kube's clusterrole-aggregation controller fills them; see
 * lib/rbac/cluster-role-aggregation.ts). At least one selector is required.
 */
export const AggregationRule = z
  .object({
    clusterRoleSelectors: z
      .array(LabelSelector)
      .optional()
      .describe('Label selectors of the ClusterRoles whose rules this role takes.'),
  })
  .superRefine((rule, ctx) => {
    if ((rule.clusterRoleSelectors ?? []).length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['clusterRoleSelectors'],
        message: requiredValue('at least one clusterRoleSelector required if aggregationRule is non-nil'),
      });
  });
export type AggregationRule = z.infer<typeof AggregationRule>;

/**
 * rbac.authorization.k8s.io/v1 ClusterRole: permissions cluster-wide, or in any namespace where a
 * RoleBinding grants it; may cover non-resource URLs. Stored and validated as kube does; the
 * default roles (cluster-admin, admin, edit, view, ...) are created at startup.
 */
export const ClusterRole = z.object({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('ClusterRole'),
  metadata: emptyByDefault(ObjectMeta),
  rules: z
    .array(policyRule({ namespaced: false }))
    .optional()
    .describe('The permissions the role grants; filled by aggregation when aggregationRule is set.'),
  aggregationRule: AggregationRule.optional().describe(
    'Selects the ClusterRoles whose rules this role aggregates.',
  ),
});
export type ClusterRole = z.infer<typeof ClusterRole>;

export const ClusterRoleKind: KindInfo = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'path-segment',
  schema: ClusterRole,
  fieldSelectors: {},
};
