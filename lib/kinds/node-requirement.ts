import * as z from 'zod';
import { forbidden, invalidValue, requiredValue, unsupportedValue } from './field-error';
import { labelValueError, qualifiedNameError } from './names';

/**
 * The node labels a NodePool's or NodeClaim's requirements usually constrain: each instance type
 * carries them, so a requirement over them selects instance types. Names are Karpenter's where
 * Karpenter has one (`karpenter.sh/capacity-type`, the kubernetes.io keys); Skiff's own live under
 * `skiff.dev/` where Karpenter's AWS provider uses `karpenter.k8s.aws/`.
 */
export const WELL_KNOWN_LABELS = {
  instanceType: 'node.kubernetes.io/instance-type',
  /** The family's letters before its generation: `c` for c7g, `inf` for inf2 (Karpenter's instance-category). */
  instanceCategory: 'skiff.dev/instance-category',
  instanceFamily: 'skiff.dev/instance-family',
  instanceSize: 'skiff.dev/instance-size',
  instanceCpu: 'skiff.dev/instance-cpu',
  /** MiB, as karpenter.k8s.aws/instance-memory. */
  instanceMemory: 'skiff.dev/instance-memory',
  arch: 'kubernetes.io/arch',
  instanceGpuCount: 'skiff.dev/instance-gpu-count',
  capacityType: 'karpenter.sh/capacity-type',
  instanceGeneration: 'skiff.dev/instance-generation',
  zone: 'topology.kubernetes.io/zone',
} as const;

/** Capacity types Skiff can launch (Karpenter's AWS provider adds `reserved`). */
export const CAPACITY_TYPES = ['on-demand', 'spot'] as const;
export const CapacityType = z.enum(CAPACITY_TYPES);
export type CapacityType = z.infer<typeof CapacityType>;

/** Labels whose values are whole numbers, so `Gt` and `Lt` compare them. */
const NUMERIC_LABELS = new Set<string>([
  WELL_KNOWN_LABELS.instanceCpu,
  WELL_KNOWN_LABELS.instanceMemory,
  WELL_KNOWN_LABELS.instanceGpuCount,
  WELL_KNOWN_LABELS.instanceGeneration,
]);

/**
 * Labels Karpenter sets itself and refuses in requirements: the node's name is not known before
 * launch, and the pool label names the pool the claim comes from.
 */
const RESTRICTED_LABELS = new Set(['kubernetes.io/hostname', 'karpenter.sh/nodepool', 'skiff.dev/nodepool']);

export const REQUIREMENT_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

/**
 * karpenter.sh/v1 NodeSelectorRequirementWithMinValues: a core NodeSelectorRequirement (key,
 * operator, values) plus `minValues`, the least number of distinct values of the key the
 * launch must stay flexible over. Checked as Karpenter's CRD rules and kube's node selector
 * validation check it: `In` needs values, `Exists`/`DoesNotExist` take none, `Gt`/`Lt` take one
 * non-negative integer, and minValues may not exceed the values of an `In`.
 */
export const NodeRequirement = z
  .object({
    key: z.string(),
    operator: z.string(),
    values: z.array(z.string()).optional(),
    minValues: z.number().int().min(1).max(50).optional(),
  })
  .superRefine((requirement, ctx) => {
    const { key, operator, values = [], minValues } = requirement;
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    const keyError = qualifiedNameError(key);
    if (keyError) issue('key', invalidValue(key, keyError));
    else if (RESTRICTED_LABELS.has(key)) issue('key', invalidValue(key, 'label is restricted'));
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          issue('values', requiredValue("must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          issue('values', forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1 || !/^\d+$/.test(values[0]))
          issue(
            'values',
            invalidValue(values, "must be a single non-negative integer when `operator` is 'Gt' or 'Lt'"),
          );
        else if (!keyError && !NUMERIC_LABELS.has(key) && key.startsWith('skiff.dev/'))
          issue('operator', invalidValue(operator, `${key} is not a numeric label`));
        break;
      default:
        issue('operator', unsupportedValue(operator, REQUIREMENT_OPERATORS));
    }
    values.forEach((value, index) => {
      const valueError = labelValueError(value);
      if (valueError)
        ctx.addIssue({ code: 'custom', path: ['values', index], message: invalidValue(value, valueError) });
    });
    if (key === WELL_KNOWN_LABELS.capacityType && (operator === 'In' || operator === 'NotIn'))
      values.forEach((value, index) => {
        if (!(CAPACITY_TYPES as readonly string[]).includes(value))
          ctx.addIssue({
            code: 'custom',
            path: ['values', index],
            message: unsupportedValue(value, CAPACITY_TYPES),
          });
      });
    if (minValues !== undefined && operator === 'In' && values.length < minValues)
      issue('minValues', invalidValue(minValues, `must be at most the number of values (${values.length})`));
  });
export type NodeRequirement = z.infer<typeof NodeRequirement>;
