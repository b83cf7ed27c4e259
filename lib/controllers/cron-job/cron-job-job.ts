import type { CronJob } from '../../kinds/cron-job';
import type { KubeObject } from '../../kinds/meta';
import { rfc3339InZone } from './schedule-times';

/** kube's annotation with the time a Job was scheduled for, in the CronJob's time zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The label naming the CronJob a Job was started by. */
export const CRON_JOB_NAME_LABEL = 'batch.kubernetes.io/cronjob-name';

/**
 * kube's getJobFromTemplate2: the Job of one firing, named for its scheduled minute, with the
 * template's labels and annotations, the scheduled time, and the CronJob as controlling owner.
 */
export function jobManifest(cronJob: CronJob, name: string, scheduledTime: Date): KubeObject {
  const template = cronJob.spec.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cronJob.metadata.namespace,
      labels: { ...template.metadata.labels, [CRON_JOB_NAME_LABEL]: cronJob.metadata.name ?? '' },
      annotations: {
        ...template.metadata.annotations,
        [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339InZone(scheduledTime, cronJob.spec.timeZone),
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata.name ?? '',
          uid: cronJob.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: template.spec,
  };
}
