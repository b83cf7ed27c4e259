import * as z from 'zod';
import { duration, durationOrNever, windowDuration } from './capacity-duration';
import { ConditionStatus } from './condition';
import { emptyByDefault } from './empty-by-default';
import { invalidValue, requiredValue } from './field-error';
import { int64, nonNegativeInt32 } from './int32';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { annotationMap, labelMap, qualifiedNameError } from './names';
import { Taint } from './node';
import { NodeRequirement } from './node-requirement';
import { mergeList } from './patch-strategy';
import { InvalidQuantityError, canonicalQuantity, parseQuantity, quantity } from './quantity';
import { ResourceList } from './resource-requirements';
import { timestamp } from './time';
import { usdAmount } from './usd-amount';

/**
 * skiff.dev/v1alpha1 NodePool, cluster-scoped: which instances the scheduler may launch for
 * pending pods (requirements over instance-type labels, taints, labels), how much in all (limits,
 * in resources and in dollars per hour), which pool to try first (weight), and when it may take
 * nodes away (disruption). Field names and defaults are karpenter.sh/v1 NodePool's; `warm` and
 * the dollar limit are Skiff's own. See docs/capacity.md.
 */

/** The limit in dollars per hour on a pool's running claims, beside Karpenter's resource limits. */
export const USD_PER_HOUR_LIMIT = 'skiff.dev/usd-per-hour';

/** A Karpenter condition (metav1.Condition): Ready on a pool; Launched, Registered, ... on a claim. */
export const CapacityCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  observedGeneration: int64.optional(),
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type CapacityCondition = z.infer<typeof CapacityCondition>;

/**
 * spec.limits: resource quantities (`cpu`, `memory`, `nodes`, `nvidia.com/gpu`, stored in
 * canonical form) and `skiff.dev/usd-per-hour`, a decimal string of dollars.
 */
export const NodePoolLimits = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .transform((limits, ctx) => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(limits)) {
      const nameError = qualifiedNameError(name);
      if (nameError) {
        ctx.issues.push({
          code: 'custom',
          path: [name],
          input: name,
          message: invalidValue(name, nameError),
        });
        continue;
      }
      if (name === USD_PER_HOUR_LIMIT) {
        const parsed = usdAmount.safeParse(value);
        if (parsed.success) out[name] = parsed.data;
        else
          ctx.issues.push({
            code: 'custom',
            path: [name],
            input: value,
            message: invalidValue(value, 'must be a non-negative decimal number of dollars, e.g. "12.50"'),
          });
        continue;
      }
      try {
        const text = typeof value === 'string' ? value.trim() : String(value);
        if (parseQuantity(text).nanos < 0n)
          ctx.issues.push({
            code: 'custom',
            path: [name],
            input: value,
            message: invalidValue(value, 'must be greater than or equal to 0'),
          });
        else out[name] = canonicalQuantity(text);
      } catch (error) {
        if (!(error instanceof InvalidQuantityError)) throw error;
        ctx.issues.push({
          code: 'custom',
          path: [name],
          input: value,
          message: invalidValue(value, error.message),
        });
      }
    }
    return out;
  })
  .meta({
    description: 'Resource quantities (cpu, memory, nodes) and skiff.dev/usd-per-hour as a decimal string.',
  });
export type NodePoolLimits = z.infer<typeof NodePoolLimits>;

const CRON_MACRO_RE = /^@(annually|yearly|monthly|weekly|daily|midnight|hourly)$/;
const CRON_FIELD_RE = /^[0-9A-Za-z*?,/-]+$/;

/** A budget's schedule: a 5-field cron expression or a macro (`@daily`), in UTC as Karpenter's. */
const cronSchedule = z.string().superRefine((value, ctx) => {
  const fields = value.trim().split(/\s+/);
  if (CRON_MACRO_RE.test(value) || (fields.length === 5 && fields.every((f) => CRON_FIELD_RE.test(f))))
    return;
  ctx.addIssue({
    code: 'custom',
    message: invalidValue(value, 'must be a cron expression of 5 fields or a macro such as @daily'),
  });
});

export const DISRUPTION_REASONS = ['Underutilized', 'Empty', 'Drifted'] as const;

/**
 * One disruption budget: at most `nodes` (a count, or a percentage of the pool's nodes) may be
 * disrupted at once, always or, with `schedule` and `duration`, for `duration` after each time
 * the schedule fires. The most restrictive active budget wins.
 */
export const Budget = z
  .object({
    reasons: z.array(z.enum(DISRUPTION_REASONS)).optional(),
    nodes: z
      .string()
      .superRefine((value, ctx) => {
        if (!/^((100|[0-9]{1,2})%|[0-9]+)$/.test(value))
          ctx.addIssue({
            code: 'custom',
            message: invalidValue(value, 'must be a whole number of nodes or a percentage from 0% to 100%'),
          });
      })
      .default('10%'),
    schedule: cronSchedule.optional(),
    duration: windowDuration.optional(),
  })
  .superRefine((budget, ctx) => {
    if (budget.schedule !== undefined && budget.duration === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['duration'],
        message: requiredValue("must be set with 'schedule'"),
      });
    if (budget.duration !== undefined && budget.schedule === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: requiredValue("must be set with 'duration'"),
      });
  });
export type Budget = z.infer<typeof Budget>;

export const CONSOLIDATION_POLICIES = ['WhenEmpty', 'WhenEmptyOrUnderutilized'] as const;

/** spec.disruption, with Karpenter's defaults: consolidate empty or underutilized nodes at once, 10% at a time. */
export const Disruption = z.object({
  consolidationPolicy: z.enum(CONSOLIDATION_POLICIES).default('WhenEmptyOrUnderutilized'),
  consolidateAfter: durationOrNever.default('0s'),
  budgets: z
    .array(Budget)
    .max(50)
    .default(() => [{ nodes: '10%' }]),
});
export type Disruption = z.infer<typeof Disruption>;

/** What every claim of the pool starts from: the node's labels, taints and requirements. */
export const NodeClaimTemplateSpec = z.object({
  taints: z.array(Taint).optional(),
  startupTaints: z.array(Taint).optional(),
  requirements: z
    .array(NodeRequirement)
    .max(100)
    .default(() => []),
  expireAfter: durationOrNever.default('720h'),
  terminationGracePeriod: duration.optional(),
});
export type NodeClaimTemplateSpec = z.infer<typeof NodeClaimTemplateSpec>;

export const NodeClaimTemplate = z.object({
  metadata: z.object({ labels: labelMap.optional(), annotations: annotationMap.optional() }).optional(),
  spec: NodeClaimTemplateSpec.prefault({}),
});
export type NodeClaimTemplate = z.infer<typeof NodeClaimTemplate>;

/** Skiff's warm capacity: nodes (or resources) the pool keeps launched and ready even with no pods. */
export const WarmCapacity = z.object({
  minNodes: nonNegativeInt32.optional(),
  minCapacity: z
    .object({ cpu: quantity.optional(), memory: quantity.optional() })
    .superRefine((capacity, ctx) => {
      for (const [name, value] of Object.entries(capacity))
        if (typeof value === 'string' && parseQuantity(value).nanos < 0n)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: invalidValue(value, 'must be greater than or equal to 0'),
          });
    })
    .optional(),
});
export type WarmCapacity = z.infer<typeof WarmCapacity>;

export const NodePoolSpec = z.object({
  template: NodeClaimTemplate.prefault({}),
  disruption: Disruption.prefault({}),
  limits: NodePoolLimits.optional(),
  /** Higher first; unset counts as 0 (Karpenter accepts 1-100 and treats unset as 0). */
  weight: z.number().int().min(0).max(100).optional(),
  warm: WarmCapacity.optional(),
});
export type NodePoolSpec = z.infer<typeof NodePoolSpec>;

export const NodePoolStatus = z.object({
  /** What the pool's claims hold now: `cpu`, `memory`, `nodes`, as Karpenter reports them. */
  resources: ResourceList.optional(),
  /** What the pool's claims cost now, in dollars per hour (Skiff's own). */
  usdPerHour: usdAmount.optional(),
  conditions: mergeList(CapacityCondition, 'type').optional(),
});
export type NodePoolStatus = z.infer<typeof NodePoolStatus>;

export const NodePool = z.object({
  apiVersion: z.literal('skiff.dev/v1alpha1'),
  kind: z.literal('NodePool'),
  metadata: emptyByDefault(ObjectMeta),
  spec: NodePoolSpec.prefault({}),
  status: NodePoolStatus.prefault({}),
});
export type NodePool = z.infer<typeof NodePool>;

export const NodePoolKind: KindInfo = {
  group: 'skiff.dev',
  version: 'v1alpha1',
  kind: 'NodePool',
  plural: 'nodepools',
  singular: 'nodepool',
  shortNames: ['np'],
  namespaced: false,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: NodePool,
  categories: ['karpenter'],
  fieldSelectors: {},
};
