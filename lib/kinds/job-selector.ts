import { InvalidObjectError, type FieldCause } from './errors';
import { GoValue, invalidValue, requiredValue, stringMapValue } from './field-error';
import type { Job } from './job';
import { labelSelectorMatches } from './label-selector';
import type { KubeObject } from './meta';

/** The labels kube's Job strategy puts on a Job's pod template, and selects its pods by. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

/**
 * kube's generateSelector, run on a new Job once it has its uid (KindInfo.prepareForCreate): unless
 * `manualSelector`, the pod template gets the job-name and controller-uid labels (both the
 * `batch.kubernetes.io/` ones and the legacy ones) where the user set none, and the selector
 * matches `batch.kubernetes.io/controller-uid`, so the Job selects its own pods only. A Job with no
 * labels of its own takes the template's, as kube's defaulting does when it reads the Job back.
 * Then validateGeneratedSelector: labels the user set that contradict the generated ones are
 * refused (422), with kube's messages.
 */
export function generateJobSelector(object: KubeObject): KubeObject {
  const job = object as unknown as Job;
  if (job.spec.manualSelector) return object;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const labels = { ...job.spec.template.metadata.labels };
  for (const [key, value] of [
    [LEGACY_JOB_NAME_LABEL, name],
    [JOB_NAME_LABEL, name],
    [LEGACY_CONTROLLER_UID_LABEL, uid],
    [CONTROLLER_UID_LABEL, uid],
  ])
    labels[key] ??= value;
  const selector = job.spec.selector ?? {};
  const matchLabels = { ...selector.matchLabels };
  matchLabels[CONTROLLER_UID_LABEL] ??= uid;
  const ownLabels = Object.keys(job.metadata.labels ?? {}).length > 0 ? job.metadata.labels : { ...labels };
  const generated = {
    ...job,
    metadata: { ...job.metadata, labels: ownLabels },
    spec: {
      ...job.spec,
      selector: { ...selector, matchLabels },
      template: { ...job.spec.template, metadata: { ...job.spec.template.metadata, labels } },
    },
  };
  const causes = generatedSelectorCauses(generated);
  if (causes.length > 0) throw new InvalidObjectError({ kind: 'Job', group: 'batch' }, name, causes);
  return generated as unknown as KubeObject;
}

/** kube's validateGeneratedSelector (with the batch.kubernetes.io labels required, as 1.32 does). */
function generatedSelectorCauses(job: Job): FieldCause[] {
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const labels = job.spec.template.metadata.labels ?? {};
  const causes: FieldCause[] = [];
  const expected: [string, string][] = [
    [LEGACY_CONTROLLER_UID_LABEL, uid],
    [LEGACY_JOB_NAME_LABEL, name],
    [CONTROLLER_UID_LABEL, uid],
    [JOB_NAME_LABEL, name],
  ];
  for (const [key, value] of expected) {
    // ValidateHasLabel: Required when missing, Invalid (printing all the labels) when it differs.
    const field = `spec.template.metadata.labels[${key}]`;
    if (labels[key] === undefined)
      causes.push({ reason: 'FieldValueRequired', field, message: requiredValue(`must be '${value}'`) });
    else if (labels[key] !== value)
      causes.push({
        reason: 'FieldValueInvalid',
        field,
        message: invalidValue(stringMapValue(labels), `must be '${value}'`),
      });
  }
  const selector = job.spec.selector ?? {};
  if (!labelSelectorMatches(selector, Object.fromEntries(expected)))
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.selector',
      message: invalidValue(new GoValue(JSON.stringify(selector)), '`selector` not auto-generated'),
    });
  return causes;
}
