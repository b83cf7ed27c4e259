import { createHash } from 'node:crypto';
import type { Job } from '../../kinds/job';
import type { KubeObject } from '../../kinds/meta';

/** Labels the Job controller puts on its pods, as kube does (and by which it finds them). */
export const JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'controller-uid';
/** Which attempt a pod is (0, 1, 2, … in creation order), so the next attempt gets a fresh name. */
export const ATTEMPT_ANNOTATION = 'batch.skiff.dev/attempt';

/** kube's name-suffix alphabet: no vowels, no look-alike characters. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The name of a Job's pod for one attempt: `${job}-${suffix}`, the suffix derived from the Job's
 * uid and the attempt, so a retried reconcile creates the same pod (AlreadyExists) rather than a
 * second one, and a recreated Job (new uid) never collides with its predecessor's pods.
 *
 * @example jobPodName('batch', '1b4e…', 0) // 'batch-x7k2q'
 */
export function jobPodName(jobName: string, jobUid: string, attempt: number): string {
  const digest = createHash('sha256').update(`${jobUid}/${attempt}`).digest();
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[digest[i] % SUFFIX_ALPHABET.length];
  return `${jobName}-${suffix}`;
}

/**
 * The Pod manifest for one attempt of `job`: its template, labelled with `job-name` and
 * `controller-uid`, controlled by the Job (blockOwnerDeletion, so a Foreground deletion of the Job
 * waits for it). The caller decodes it (pod defaults) before creating it.
 */
export function jobPodManifest(job: Job, attempt: number): KubeObject {
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const template = job.spec.template;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: jobPodName(name, uid, attempt),
      namespace: job.metadata.namespace,
      labels: { ...template.metadata.labels, [JOB_NAME_LABEL]: name, [CONTROLLER_UID_LABEL]: uid },
      annotations: { ...template.metadata.annotations, [ATTEMPT_ANNOTATION]: String(attempt) },
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'Job', name, uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: template.spec,
  };
}

/** The attempt a pod of this controller is, from its annotation (-1 when it has none). */
export function attemptOf(pod: KubeObject): number {
  const value = Number(pod.metadata.annotations?.[ATTEMPT_ANNOTATION]);
  return Number.isInteger(value) && value >= 0 ? value : -1;
}
