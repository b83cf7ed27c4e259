import * as z from 'zod';
import { forbidden, invalidValue, requiredValue } from './field-error';
import { labelMap, qualifiedNameError } from './names';

/**
 * metav1.LabelSelector, the object form used by Deployments, ReplicaSets and Jobs to find their
 * pods, with Kubernetes' validation (ValidateLabelSelector).
 */
export const LabelSelectorRequirement = z
  .object({
    key: z.string(),
    operator: z.string(),
    values: z.array(z.string()).optional(),
  })
  .superRefine((requirement, ctx) => {
    const { key, operator, values = [] } = requirement;
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['values'],
          message: requiredValue("must be specified when `operator` is 'In' or 'NotIn'"),
        });
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['values'],
          message: forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        });
    } else {
      ctx.addIssue({
        code: 'custom',
        path: ['operator'],
        message: invalidValue(operator, 'not a valid selector operator'),
      });
    }
    const keyError = qualifiedNameError(key);
    if (keyError) ctx.addIssue({ code: 'custom', path: ['key'], message: invalidValue(key, keyError) });
  });
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

export const LabelSelector = z.object({
  matchLabels: labelMap.optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

/** Whether every expression is well formed (LabelSelectorAsSelector would accept it). */
export function isValidSelector(selector: LabelSelector): boolean {
  return (selector.matchExpressions ?? []).every(({ operator, values = [] }) =>
    operator === 'In' || operator === 'NotIn'
      ? values.length > 0
      : (operator === 'Exists' || operator === 'DoesNotExist') && values.length === 0,
  );
}

/** Whether the selector has no terms (which Kubernetes' workload kinds refuse). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

/**
 * Whether `labels` satisfy `selector` (LabelSelectorAsSelector(...).Matches): every matchLabels
 * pair and every expression must hold; an empty selector matches everything.
 * @example labelSelectorMatches({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'fe' }) // true
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
