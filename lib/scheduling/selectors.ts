import type { LabelSelector, Requirement, Taint, Toleration } from './model';

/**
 * Label and taint matching with Kubernetes' semantics, over plain label maps: what every filter of
 * the planner is built from.
 */

/** Whether `labels` satisfy one NodeSelectorRequirement (Gt/Lt compare integers, as kube does). */
export function satisfies(labels: Record<string, string>, requirement: Requirement): boolean {
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const actual = Number(value);
      const bound = Number(values[0]);
      if (!Number.isInteger(actual) || !Number.isInteger(bound)) return false;
      return requirement.operator === 'Gt' ? actual > bound : actual < bound;
    }
  }
}

export function satisfiesAll(labels: Record<string, string>, requirements: readonly Requirement[]): boolean {
  return requirements.every((requirement) => satisfies(labels, requirement));
}

/** A pod's nodeSelector and required node affinity (one term must match) against node labels. */
export function matchesNodeSelection(
  labels: Record<string, string>,
  nodeSelector: Record<string, string> | undefined,
  nodeAffinity: Requirement[][] | undefined,
): boolean {
  if (nodeSelector)
    for (const [key, value] of Object.entries(nodeSelector)) if (labels[key] !== value) return false;
  if (nodeAffinity && nodeAffinity.length > 0) return nodeAffinity.some((term) => satisfiesAll(labels, term));
  return true;
}

/** Whether a label selector selects `labels`: an empty selector selects everything, a missing one nothing (kube). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expression.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expression.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}

/** A stable text for a selector, to share counts between pods that use the same one. */
export function selectorSignature(
  selector: LabelSelector | undefined,
  namespaces: readonly string[],
): string {
  return JSON.stringify([
    selector?.matchLabels ?? {},
    selector?.matchExpressions ?? [],
    [...namespaces].sort(),
  ]);
}

/** Whether a toleration tolerates a taint (kube's ToleratesTaint). */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  if ((toleration.key === undefined || toleration.key === '') && toleration.operator !== 'Exists')
    return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The first taint with a scheduling effect (NoSchedule, NoExecute) no toleration tolerates, or
 * undefined: PreferNoSchedule never filters.
 */
export function untoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] = [],
): Taint | undefined {
  return taints.find(
    (taint) =>
      taint.effect !== 'PreferNoSchedule' && !tolerations.some((toleration) => tolerates(toleration, taint)),
  );
}
