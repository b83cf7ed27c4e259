import type { KindInfo } from '../kinds/kind-info';
import { apiVersionOf } from '../kinds/kind-info';
import type { KindRegistry } from '../kinds/kind-registry';
import { groupOf } from '../controllers/garbage-collector/owner-references';
import type { OperatorSpec, ResourceRule } from './operator-spec';
import type { ResolvedOperator } from './operator-controller';

/**
 * An operator's resources as the API serves them now, or why it cannot run yet: a parent whose
 * CRD is not established (or not applied) waits for it, and so does an operator naming a child
 * resource nobody serves.
 */
export function resolveOperator(
  spec: OperatorSpec,
  registry: Pick<KindRegistry, 'findByResource'>,
): { operator: ResolvedOperator } | { missing: string } {
  const parent = find(registry, spec.parentResource);
  if (!parent) return { missing: describe(spec.parentResource) };
  const children: ResolvedOperator['children'] = [];
  for (const rule of spec.childResources) {
    const info = find(registry, rule);
    if (!info) return { missing: describe(rule) };
    children.push({
      info,
      kind: {
        apiVersion: apiVersionOf(info),
        kind: info.kind,
        plural: info.plural,
        namespaced: info.namespaced,
        updateMethod: rule.updateStrategy?.method ?? 'OnDelete',
      },
    });
  }
  return { operator: { spec, parent, children } };
}

function find(registry: Pick<KindRegistry, 'findByResource'>, rule: ResourceRule): KindInfo | undefined {
  const slash = rule.apiVersion.indexOf('/');
  const version = slash < 0 ? rule.apiVersion : rule.apiVersion.slice(slash + 1);
  return registry.findByResource(groupOf(rule.apiVersion), version, rule.resource);
}

function describe(rule: ResourceRule): string {
  return `${rule.resource} (${rule.apiVersion})`;
}
