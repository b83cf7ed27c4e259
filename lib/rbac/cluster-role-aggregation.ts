import type { ClusterRole } from '../kinds/cluster-role';
import { labelSelectorMatches } from '../kinds/label-selector';
import type { PolicyRule } from '../kinds/policy-rule';
import { deepEqual } from '../store/deep-equal';

/**
 * The rules kube's clusterrole-aggregation controller gives `role`: for each of its
 * aggregationRule's selectors in turn, the rules of every other ClusterRole it matches, by name,
 * each rule once. Undefined for a role without an aggregationRule (its rules are its own).
 *
 * Aggregation follows labels transitively (view is labelled to aggregate into edit, edit into
 * admin): `aggregateAll` settles every role at once.
 */
export function aggregatedRules(role: ClusterRole, roles: readonly ClusterRole[]): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors) return undefined;
  const rules: PolicyRule[] = [];
  for (const selector of selectors) {
    const matched = roles
      .filter((other) => other.metadata.name !== role.metadata.name)
      .filter((other) => labelSelectorMatches(selector, other.metadata.labels ?? {}))
      .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    for (const other of matched)
      for (const rule of other.rules ?? []) if (!rules.some((r) => deepEqual(r, rule))) rules.push(rule);
  }
  return rules;
}

/**
 * Every role with its aggregated rules, as the controller leaves them once it has converged: it
 * re-aggregates until nothing changes (a chain of N aggregating roles settles in N rounds).
 * @example aggregateAll(defaultClusterRoles()).find((r) => r.metadata.name === 'view')?.rules
 */
export function aggregateAll(roles: readonly ClusterRole[]): ClusterRole[] {
  let current = [...roles];
  for (let round = 0; round <= roles.length; round++) {
    let changed = false;
    current = current.map((role) => {
      const rules = aggregatedRules(role, current);
      if (!rules || deepEqual(rules, role.rules ?? [])) return role;
      changed = true;
      return { ...role, rules };
    });
    if (!changed) break;
  }
  return current;
}
