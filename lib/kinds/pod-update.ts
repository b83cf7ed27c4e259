import type { FieldCause } from './errors';
import { forbidden, invalidValue, GoValue } from './field-error';
import type { Pod } from './pod';
import type { KubeObject } from './meta';

/** kube's list of what a pod update may change (updatablePodSpecFields), as its message prints it. */
const UPDATABLE_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

type PodSpec = Pod['spec'];

/**
 * kube's ValidatePodUpdate for the spec: a pod's spec is fixed once created, except its
 * containers' images, a shorter activeDeadlineSeconds, added tolerations (an existing one may
 * change only its tolerationSeconds), removed scheduling gates, and, while gated, its node
 * selector and node affinity. Anything else is `spec: Forbidden: pod updates may not change fields
 * other than …`, followed, as in kube, by what changed (kube prints a Go diff; Skiff lists the
 * changed fields as JSON). Binding is not an update: it goes through pods/binding.
 */
export function podUpdateCauses(next: KubeObject, current: KubeObject): FieldCause[] {
  const spec = (next as unknown as Pod).spec;
  const old = (current as unknown as Pod).spec;
  for (const key of ['containers', 'initContainers'] as const)
    if ((spec[key] ?? []).length !== (old[key] ?? []).length)
      return [
        cause(
          'FieldValueForbidden',
          `spec.${key}`,
          forbidden('pod updates may not add or remove containers'),
        ),
      ];
  const causes: FieldCause[] = [];
  if (spec.activeDeadlineSeconds !== undefined) {
    if (old.activeDeadlineSeconds !== undefined && old.activeDeadlineSeconds < spec.activeDeadlineSeconds)
      return [
        cause(
          'FieldValueInvalid',
          'spec.activeDeadlineSeconds',
          invalidValue(spec.activeDeadlineSeconds, 'must be less than or equal to previous value'),
        ),
      ];
  } else if (old.activeDeadlineSeconds !== undefined)
    causes.push(
      cause(
        'FieldValueInvalid',
        'spec.activeDeadlineSeconds',
        invalidValue(new GoValue('null'), 'must not update from a positive integer to nil value'),
      ),
    );
  const tolerations = spec.tolerations ?? [];
  const kept = (old.tolerations ?? []).every((before) =>
    tolerations.some((after) => sameJson({ ...before, tolerationSeconds: after.tolerationSeconds }, after)),
  );
  if (!kept)
    causes.push(
      cause(
        'FieldValueForbidden',
        'spec.tolerations',
        forbidden('existing toleration can not be modified except its tolerationSeconds'),
      ),
    );
  const oldGates = new Set((old.schedulingGates ?? []).map((gate) => gate.name));
  (spec.schedulingGates ?? []).forEach((gate, index) => {
    if (!oldGates.has(gate.name))
      causes.push(
        cause(
          'FieldValueForbidden',
          `spec.schedulingGates[${index}].name`,
          forbidden(`only deletion is allowed, but found new scheduling gate '${gate.name}'`),
        ),
      );
  });
  const munged = mungedSpec(spec, old);
  const changed = changedFields(old, munged);
  if (changed.length > 0)
    causes.push(
      cause(
        'FieldValueForbidden',
        'spec',
        forbidden(`pod updates may not change fields other than ${UPDATABLE_FIELDS}\n${changed.join('\n')}`),
      ),
    );
  return causes;
}

/** The new spec with what an update may change set back to the old values (kube's mungedPodSpec). */
function mungedSpec(spec: PodSpec, old: PodSpec): PodSpec {
  const images = (key: 'containers' | 'initContainers') =>
    spec[key]?.map((container, index) => ({
      ...container,
      image: old[key]?.[index]?.image ?? container.image,
    }));
  const munged: PodSpec = {
    ...spec,
    containers: images('containers') ?? spec.containers,
    ...(spec.initContainers ? { initContainers: images('initContainers') } : {}),
    activeDeadlineSeconds: old.activeDeadlineSeconds,
    schedulingGates: old.schedulingGates,
    tolerations: old.tolerations,
  };
  const oldGrace = old.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldGrace;
  // A pod still gated may gain node constraints before it is scheduled.
  if ((old.schedulingGates ?? []).length > 0) {
    munged.nodeSelector = old.nodeSelector;
    munged.affinity = old.affinity;
  }
  return munged;
}

/** `- spec.x: old` / `+ spec.x: new` lines for each top-level spec field that differs. */
function changedFields(old: PodSpec, next: PodSpec): string[] {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  return keys.flatMap((key) => {
    const before = (old as Record<string, unknown>)[key];
    const after = (next as Record<string, unknown>)[key];
    if (sameJson(before, after)) return [];
    return [
      `- spec.${key}: ${JSON.stringify(before ?? null)}`,
      `+ spec.${key}: ${JSON.stringify(after ?? null)}`,
    ];
  });
}

function cause(reason: FieldCause['reason'], field: string, message: string): FieldCause {
  return { reason, field, message };
}

/** Equal as JSON, whatever the key order, unset fields ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
