import * as z from 'zod';
import { GoValue, invalidValue, requiredValue } from './field-error';

/**
 * rbac.authorization.k8s.io/v1 PolicyRule: verbs allowed on resources of API groups (optionally
 * only the named objects), or on non-resource URLs such as `/healthz`. `*` matches everything.
 */
const policyRuleFields = z.object({
  verbs: z
    .array(z.string())
    .default([])
    .describe('Verbs allowed, e.g. get, list, watch, create; `*` is all.'),
  apiGroups: z
    .array(z.string())
    .optional()
    .describe('API groups of the resources; "" is the core group, `*` is every group.'),
  resources: z
    .array(z.string())
    .optional()
    .describe('Resources the rule covers, subresources as `pods/log`; `*` is all.'),
  resourceNames: z
    .array(z.string())
    .optional()
    .describe('Names of the objects the rule is limited to; empty means every object.'),
  nonResourceURLs: z
    .array(z.string())
    .optional()
    .describe('URL paths that are not resources (`/healthz`, `/api/*`); only in ClusterRoles.'),
});

export type PolicyRule = z.infer<typeof policyRuleFields>;

/**
 * A PolicyRule with kube's ValidatePolicyRule: verbs required; a rule on non-resource URLs has no
 * groups, resources or names, and appears only in ClusterRoles (`namespaced` false); a resource
 * rule needs at least one group and one resource.
 */
export function policyRule(options: { namespaced: boolean }) {
  return policyRuleFields.transform(withoutEmptyLists).superRefine((rule, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (rule.verbs.length === 0) issue('verbs', requiredValue('verbs must contain at least one value'));
    const urls = rule.nonResourceURLs ?? [];
    if (urls.length > 0) {
      // Go prints the bad value with %#v.
      const bad = new GoValue(`[]string{${urls.map((url) => JSON.stringify(url)).join(', ')}}`);
      if (options.namespaced)
        issue('nonResourceURLs', invalidValue(bad, 'namespaced rules cannot apply to non-resource URLs'));
      if (
        (rule.apiGroups ?? []).length + (rule.resources ?? []).length + (rule.resourceNames ?? []).length >
        0
      )
        issue(
          'nonResourceURLs',
          invalidValue(bad, 'rules cannot apply to both regular resources and non-resource URLs'),
        );
      return;
    }
    if ((rule.apiGroups ?? []).length === 0)
      issue('apiGroups', requiredValue('resource rules must supply at least one api group'));
    if ((rule.resources ?? []).length === 0)
      issue('resources', requiredValue('resource rules must supply at least one resource'));
  });
}

/** Go omits the rule's empty optional lists (omitempty), so `apiGroups: []` is not stored. */
function withoutEmptyLists(rule: PolicyRule): PolicyRule {
  const kept = Object.entries(rule).filter(
    ([key, value]) => key === 'verbs' || !Array.isArray(value) || value.length > 0,
  );
  return Object.fromEntries(kept) as PolicyRule;
}
