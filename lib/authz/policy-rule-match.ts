import type { PolicyRule } from '../kinds/policy-rule';
import type { RequestAttributes } from './request-attributes';

/**
 * kube's RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go): whether one PolicyRule covers a
 * request. `*` matches every verb, group, resource or URL; a resource rule names a subresource as
 * `pods/log` (or `* /log` for every resource's); resourceNames narrows to named objects, so a rule
 * with names never covers a collection request (create, list without a name); a non-resource URL
 * ending in `*` matches the paths it prefixes.
 */
export function ruleAllows(request: RequestAttributes, rule: PolicyRule): boolean {
  if (!request.resourceRequest)
    return includesOrStar(rule.verbs, request.verb) && nonResourceUrlMatches(rule, request.path);
  const combined = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  return (
    includesOrStar(rule.verbs, request.verb) &&
    includesOrStar(rule.apiGroups, request.apiGroup) &&
    resourceMatches(rule, combined, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

function includesOrStar(values: readonly string[] | undefined, wanted: string): boolean {
  return (values ?? []).some((value) => value === '*' || value === wanted);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some(
    (resource) =>
      resource === '*' || resource === combined || (subresource !== '' && resource === `*/${subresource}`),
  );
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))),
  );
}
