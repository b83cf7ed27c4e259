import * as z from 'zod';
import { forbidden, invalidValue, requiredValue, unsupportedValue } from './field-error';
import { qualifiedNameError } from './names';

/**
 * Pod affinity. Skiff's scheduler understands node affinity (required and preferred terms, over
 * labels and the node's name); pod (anti-)affinity is accepted and kept as written.
 */
export const NodeSelectorRequirement = z.object({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
});
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirement>;

function checkLabelRequirement(
  requirement: NodeSelectorRequirement,
  ctx: z.RefinementCtx,
  path: (string | number)[],
) {
  const { key, operator, values = [] } = requirement;
  const issue = (sub: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [...path, sub], message });
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
      if (values.length !== 1)
        issue('values', requiredValue("must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      issue('operator', invalidValue(operator, 'not a valid selector operator'));
  }
  const keyError = qualifiedNameError(key);
  if (keyError) issue('key', invalidValue(key, keyError));
}

function checkFieldRequirement(
  requirement: NodeSelectorRequirement,
  ctx: z.RefinementCtx,
  path: (string | number)[],
) {
  const { key, operator, values = [] } = requirement;
  const issue = (sub: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [...path, sub], message });
  if (key !== 'metadata.name') issue('key', unsupportedValue(key, ['metadata.name']));
  if (operator !== 'In' && operator !== 'NotIn')
    issue('operator', unsupportedValue(operator, ['In', 'NotIn']));
  if (values.length !== 1)
    issue(
      'values',
      invalidValue(
        values,
        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
      ),
    );
}

/** A node selector term: all its expressions must hold (over labels, and `metadata.name` for fields). */
export const NodeSelectorTerm = z
  .object({
    matchExpressions: z.array(NodeSelectorRequirement).optional(),
    matchFields: z.array(NodeSelectorRequirement).optional(),
  })
  .superRefine((term, ctx) => {
    term.matchExpressions?.forEach((r, i) => checkLabelRequirement(r, ctx, ['matchExpressions', i]));
    term.matchFields?.forEach((r, i) => checkFieldRequirement(r, ctx, ['matchFields', i]));
  });
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTerm>;

/** Terms are ORed: a node matches when any term matches. */
export const NodeSelector = z.object({
  nodeSelectorTerms: z.array(NodeSelectorTerm).superRefine((terms, ctx) => {
    if (terms.length === 0)
      ctx.addIssue({ code: 'custom', message: requiredValue('must have at least one node selector term') });
  }),
});
export type NodeSelector = z.infer<typeof NodeSelector>;

export const PreferredSchedulingTerm = z.object({
  weight: z
    .number()
    .int()
    .superRefine((weight, ctx) => {
      if (weight < 1 || weight > 100)
        ctx.addIssue({ code: 'custom', message: invalidValue(weight, 'must be in the range 1-100') });
    }),
  preference: NodeSelectorTerm,
});
export type PreferredSchedulingTerm = z.infer<typeof PreferredSchedulingTerm>;

export const NodeAffinity = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelector.optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(PreferredSchedulingTerm).optional(),
});
export type NodeAffinity = z.infer<typeof NodeAffinity>;

export const Affinity = z.object({
  nodeAffinity: NodeAffinity.optional(),
  podAffinity: z.looseObject({}).optional(),
  podAntiAffinity: z.looseObject({}).optional(),
});
export type Affinity = z.infer<typeof Affinity>;
