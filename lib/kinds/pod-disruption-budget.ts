import * as z from 'zod';
import { ConditionStatus } from './condition';
import { emptyByDefault } from './empty-by-default';
import { GoValue, invalidValue, unsupportedValue } from './field-error';
import { int64, nonNegativeInt32 } from './int32';
import { intOrPercentErrors, intOrString } from './int-or-string';
import type { KindInfo } from './kind-info';
import { LabelSelector } from './label-selector';
import { ObjectMeta } from './meta';
import { mergeList } from './patch-strategy';
import { timestamp } from './time';

/** What an unready pod's eviction may do (policy/v1 UnhealthyPodEvictionPolicyType). */
export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

export const PodDisruptionBudgetSpec = z
  .object({
    /** Pods (a count or a percentage of the expected pods) that must stay healthy. */
    minAvailable: intOrString.optional(),
    /** Pods (a count or a percentage of the expected pods) that may be unhealthy. */
    maxUnavailable: intOrString.optional(),
    /** The pods the budget covers; none when unset. */
    selector: LabelSelector.optional(),
    unhealthyPodEvictionPolicy: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
      issue([], invalidValue(goSpecValue(spec), 'minAvailable and maxUnavailable cannot be both set'));
    for (const field of ['minAvailable', 'maxUnavailable'] as const) {
      const value = spec[field];
      if (value !== undefined) for (const message of intOrPercentErrors(value, true)) issue([field], message);
    }
    const policy = spec.unhealthyPodEvictionPolicy;
    if (policy !== undefined && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly string[]).includes(policy))
      issue(['unhealthyPodEvictionPolicy'], unsupportedValue(policy, UNHEALTHY_POD_EVICTION_POLICIES));
  });
export type PodDisruptionBudgetSpec = z.infer<typeof PodDisruptionBudgetSpec>;

/**
 * kube reports the both-set error with the spec as Go prints a struct of pointers (%#v); the
 * addresses mean nothing to a client and are printed as 0x0 here.
 */
function goSpecValue(spec: PodDisruptionBudgetSpec): GoValue {
  const pointer = (type: string, value: unknown) => `(*${type})(${value === undefined ? 'nil' : '0x0'})`;
  return new GoValue(
    `policy.PodDisruptionBudgetSpec{MinAvailable:${pointer('intstr.IntOrString', spec.minAvailable)}, ` +
      `Selector:${pointer('v1.LabelSelector', spec.selector)}, ` +
      `MaxUnavailable:${pointer('intstr.IntOrString', spec.maxUnavailable)}, ` +
      `UnhealthyPodEvictionPolicy:${pointer('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy)}}`,
  );
}

/** metav1.Condition, as the disruption controller writes DisruptionAllowed. */
export const PodDisruptionBudgetCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  observedGeneration: int64.optional(),
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type PodDisruptionBudgetCondition = z.infer<typeof PodDisruptionBudgetCondition>;

/**
 * What the disruption controller computes (lib/controllers/disruption), and the eviction
 * subresource spends: `disruptedPods` are pods it allowed to be evicted but not yet seen deleted.
 */
export const PodDisruptionBudgetStatus = z.object({
  observedGeneration: int64.optional(),
  disruptedPods: z.record(z.string(), timestamp).optional(),
  // policy/v1 validates each count as nonnegative on status writes.
  disruptionsAllowed: nonNegativeInt32.default(0),
  currentHealthy: nonNegativeInt32.default(0),
  desiredHealthy: nonNegativeInt32.default(0),
  expectedPods: nonNegativeInt32.default(0),
  conditions: mergeList(PodDisruptionBudgetCondition, 'type').optional(),
});
export type PodDisruptionBudgetStatus = z.infer<typeof PodDisruptionBudgetStatus>;

/**
 * policy/v1 PodDisruptionBudget: how many of the selected pods voluntary disruptions (evictions,
 * `kubectl drain`) must leave healthy. minAvailable and maxUnavailable are each an integer or a
 * percentage up to 100%, at most one of them set (kube allows neither); the spec may change.
 */
export const PodDisruptionBudget = z.object({
  apiVersion: z.literal('policy/v1'),
  kind: z.literal('PodDisruptionBudget'),
  metadata: emptyByDefault(ObjectMeta),
  spec: emptyByDefault(PodDisruptionBudgetSpec),
  status: PodDisruptionBudgetStatus.prefault({}),
});
export type PodDisruptionBudget = z.infer<typeof PodDisruptionBudget>;

export const PodDisruptionBudgetKind: KindInfo = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  namespaced: true,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: PodDisruptionBudget,
  fieldSelectors: {},
};
