import type { z } from 'zod';
import { invalidValue, stringMapValue, unsupportedValue } from './field-error';
import { isEmptySelector, isValidSelector, labelSelectorMatches, type LabelSelector } from './label-selector';
import type { PodTemplateSpec } from './pod-template-spec';

/**
 * The checks Kubernetes makes on a workload's selector and pod template, shared by Deployment,
 * ReplicaSet and Job. Paths are relative to the workload's spec.
 */

/** The selector must select something, and the template's pods must carry its labels. */
export function checkSelectorMatchesTemplate(
  spec: { selector?: LabelSelector; template: PodTemplateSpec },
  ctx: z.RefinementCtx,
  options: { allowEmpty: boolean },
): void {
  const { selector, template } = spec;
  if (!selector) return;
  if (isEmptySelector(selector)) {
    if (!options.allowEmpty)
      ctx.addIssue({
        code: 'custom',
        path: ['selector'],
        message: invalidValue(selector, 'empty selector is invalid for deployment'),
      });
    return;
  }
  // An invalid selector is reported on its own; Kubernetes then skips the match.
  if (!isValidSelector(selector)) return;
  const labels = template.metadata.labels;
  if (!labelSelectorMatches(selector, labels ?? {}))
    ctx.addIssue({
      code: 'custom',
      path: ['template', 'metadata', 'labels'],
      message: invalidValue(stringMapValue(labels), '`selector` does not match template `labels`'),
    });
}

/**
 * kube's cause for a Deployment or ReplicaSet sent without a selector, beside `spec.selector:
 * Required value`: a nil selector converts to a selector that matches nothing, so
 * ValidatePodTemplateSpecForReplicaSet also says the template's labels do not match it. Added to
 * a spec schema with `.refine(...)`; `when` makes it run although the missing selector already
 * failed the spec's shape. The message reads the template's labels from the input.
 */
export function selectorlessTemplateCheck<T extends z.ZodType>(schema: T) {
  return schema.refine((spec) => (spec as { selector?: unknown }).selector !== undefined, {
    when: (payload) => isRecord(payload.value) && payload.value.selector === undefined,
    path: ['template', 'metadata', 'labels'],
    error: (issue) => {
      const input = isRecord(issue.input) ? issue.input : {};
      const template = isRecord(input.template) ? input.template : {};
      const metadata = isRecord(template.metadata) ? template.metadata : {};
      const labels = isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : undefined;
      return invalidValue(stringMapValue(labels), '`selector` does not match template `labels`');
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deployments and ReplicaSets restart their pods forever (ValidatePodTemplateSpecForReplicaSet). */
export function checkReplicatedTemplate(template: PodTemplateSpec, ctx: z.RefinementCtx): void {
  if (template.spec.restartPolicy !== 'Always')
    ctx.addIssue({
      code: 'custom',
      path: ['template', 'spec', 'restartPolicy'],
      message: unsupportedValue(template.spec.restartPolicy, ['Always']),
    });
  if (template.spec.activeDeadlineSeconds !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['template', 'spec', 'activeDeadlineSeconds'],
      message: invalidValue(
        template.spec.activeDeadlineSeconds,
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    });
}
