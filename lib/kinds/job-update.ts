import type { FieldCause } from './errors';
import { GoValue, invalidValue } from './field-error';
import type { Job } from './job';
import type { KubeObject } from './meta';

const IMMUTABLE = 'field is immutable';

/**
 * kube's ValidateJobSpecUpdate: what a Job's update may not change. The selector, completion mode,
 * pod failure and success policies, backoffLimitPerIndex and managedBy are fixed; completions too,
 * except in an Indexed Job where it moves with parallelism; and the pod template, except that a
 * suspended Job that never started may change its scheduling directives (node selector and
 * affinity, tolerations, scheduling gates, labels and annotations), as kube allows.
 *
 * kube prints the refused value as a Go struct; Skiff prints it as JSON.
 */
export function jobUpdateCauses(next: KubeObject, current: KubeObject): FieldCause[] {
  const spec = (next as unknown as Job).spec;
  const old = (current as unknown as Job).spec;
  const causes: FieldCause[] = [];
  const immutable = (field: string, value: unknown, before: unknown) => {
    if (canonical(value) !== canonical(before))
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.${field}`,
        message: invalidValue(asJson(value), IMMUTABLE),
      });
  };
  if (spec.completionMode !== 'Indexed') immutable('completions', spec.completions, old.completions);
  else if (
    spec.completions !== old.completions &&
    spec.completions !== undefined &&
    spec.completions !== spec.parallelism
  )
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.completions',
      message: invalidValue(spec.completions, 'can only be modified in tandem with spec.parallelism'),
    });
  immutable('selector', spec.selector, old.selector);
  const schedulingMutable =
    old.suspend === true && (current as unknown as Job).status?.startTime === undefined;
  immutable(
    'template',
    spec.template,
    schedulingMutable ? withSchedulingOf(old.template, spec.template) : old.template,
  );
  immutable('completionMode', spec.completionMode, old.completionMode);
  immutable('podFailurePolicy', spec.podFailurePolicy, old.podFailurePolicy);
  immutable('backoffLimitPerIndex', spec.backoffLimitPerIndex, old.backoffLimitPerIndex);
  immutable('managedBy', spec.managedBy, old.managedBy);
  immutable('successPolicy', spec.successPolicy, old.successPolicy);
  return causes;
}

/** The old template with the new one's scheduling directives (kube's validatePodTemplateUpdate). */
function withSchedulingOf(
  old: Job['spec']['template'],
  next: Job['spec']['template'],
): Job['spec']['template'] {
  // Node affinity may change; the rest of the affinity only be cleared with it, if nothing else was set.
  const { nodeAffinity: _oldNodeAffinity, ...otherAffinity } = old.spec.affinity ?? {};
  const nextNodeAffinity = next.spec.affinity?.nodeAffinity;
  const affinity =
    next.spec.affinity || Object.keys(otherAffinity).length > 0
      ? { ...otherAffinity, ...(nextNodeAffinity ? { nodeAffinity: nextNodeAffinity } : {}) }
      : undefined;
  return {
    ...old,
    metadata: { ...old.metadata, labels: next.metadata.labels, annotations: next.metadata.annotations },
    spec: {
      ...old.spec,
      affinity,
      nodeSelector: next.spec.nodeSelector,
      tolerations: next.spec.tolerations,
      schedulingGates: next.spec.schedulingGates,
    },
  };
}

function asJson(value: unknown): GoValue {
  return new GoValue(value === undefined ? 'null' : JSON.stringify(value));
}

/** JSON with keys sorted and unset fields dropped: equal for values equal as Kubernetes compares them. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
