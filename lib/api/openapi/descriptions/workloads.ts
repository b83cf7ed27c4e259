import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

const NOT_ACTED_ON = "Accepted and kept; Skiff's Job controller does not act on it yet.";

/** Deployments, ReplicaSets, Jobs and CronJobs: the controllers that make pods from a template. */
export const WORKLOAD_TYPES: TypeDescriptions = {
  Deployment: {
    description:
      'Keeps a number of identical pods running and rolls them over to a new template gradually, through one ReplicaSet per template revision.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('DeploymentSpec', 'The desired pods and how to replace them.'),
      status: typed('DeploymentStatus', 'The rollout as the Deployment controller last observed it.'),
    },
  },
  DeploymentSpec: {
    description: 'The desired state of a Deployment.',
    fields: {
      replicas: 'How many pods to run. Default 1.',
      selector: typed(
        'LabelSelector',
        "Which pods the Deployment manages. Must match the template's labels; cannot be changed after creation.",
      ),
      template: typed('PodTemplateSpec', 'The pods to run. Changing it starts a rollout.'),
      strategy: typed(
        'DeploymentStrategy',
        'How old pods are replaced by new ones when the template changes.',
      ),
      minReadySeconds: 'Seconds a new pod must stay ready before it counts as available. Default 0.',
      revisionHistoryLimit: 'How many old, scaled-down ReplicaSets to keep for rollbacks. Default 10.',
      paused: 'While true, template changes start no rollout.',
      progressDeadlineSeconds:
        'Seconds a rollout may go without progress before the Progressing condition turns False with ProgressDeadlineExceeded. Default 600.',
    },
  },
  DeploymentStrategy: {
    description: 'How a Deployment replaces its pods.',
    fields: {
      type: 'RollingUpdate (default): replace pods a few at a time, keeping the service up; Recreate: delete all old pods before creating new ones.',
      rollingUpdate: typed('RollingUpdateDeployment', 'Limits of a RollingUpdate; only with that type.'),
    },
  },
  RollingUpdateDeployment: {
    description: 'How fast a rolling update goes.',
    fields: {
      maxUnavailable:
        'How many of the desired pods may be unavailable during the update: a number or a percentage (rounded down). Default 25%.',
      maxSurge:
        'How many pods may exist above the desired count during the update: a number or a percentage (rounded up). Default 25%. Cannot be 0 when maxUnavailable is 0.',
    },
  },
  DeploymentStatus: {
    description: 'The observed state of a Deployment.',
    fields: {
      observedGeneration: 'The metadata.generation the controller last acted on.',
      replicas: 'Pods of all its ReplicaSets that are not terminating.',
      updatedReplicas: 'Pods made from the current template.',
      readyReplicas: 'Pods that are Ready.',
      availableReplicas: 'Pods Ready for at least minReadySeconds.',
      unavailableReplicas: 'Pods still needed for the desired count to be available.',
      terminatingReplicas: 'Pods being deleted.',
      conditions: typed('Condition', 'Available, Progressing and ReplicaFailure.'),
      collisionCount:
        'Counts name collisions of the ReplicaSets the controller creates; it goes into the next name to avoid them.',
    },
  },
  ReplicaSet: {
    description:
      'Keeps a number of pods matching its selector running, creating or deleting pods from its template. Usually managed by a Deployment.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('ReplicaSetSpec', 'The desired pods.'),
      status: typed('ReplicaSetStatus', 'The pods as the ReplicaSet controller last counted them.'),
    },
  },
  ReplicaSetSpec: {
    description: 'The desired state of a ReplicaSet.',
    fields: {
      replicas: 'How many pods to run. Default 1.',
      minReadySeconds: 'Seconds a new pod must stay ready before it counts as available. Default 0.',
      selector: typed(
        'LabelSelector',
        "Which pods count towards replicas. Must match the template's labels.",
      ),
      template: typed(
        'PodTemplateSpec',
        'The pods created when there are too few. Changing it affects new pods only.',
      ),
    },
  },
  ReplicaSetStatus: {
    description: 'The observed state of a ReplicaSet.',
    fields: {
      replicas: 'Pods matching the selector that are not terminating.',
      fullyLabeledReplicas: "Pods carrying all of the template's labels.",
      readyReplicas: 'Pods that are Ready.',
      availableReplicas: 'Pods Ready for at least minReadySeconds.',
      terminatingReplicas: 'Pods being deleted.',
      observedGeneration: 'The metadata.generation the controller last acted on.',
      conditions: typed('Condition', 'ReplicaFailure, when pods cannot be created or deleted.'),
    },
  },
  Job: {
    description:
      'Runs pods until a number of them succeed, retrying failures up to a limit. Skiff runs NonIndexed Jobs.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('JobSpec', 'The pods to run and when the Job is done.'),
      status: typed('JobStatus', 'Progress as the Job controller last observed it.'),
    },
  },
  JobSpec: {
    description: 'The desired behaviour of a Job.',
    fields: {
      parallelism: 'How many pods may run at once. Default 1.',
      completions:
        'How many pods must succeed. Unset with parallelism set: the Job is done when any pod succeeds and none runs. Default 1 when both are unset.',
      activeDeadlineSeconds:
        'Seconds the Job may run, from its start, before its pods are stopped and it fails with DeadlineExceeded.',
      podFailurePolicy: `Rules that fail the Job, or ignore a failure, by exit code or pod condition. ${NOT_ACTED_ON}`,
      successPolicy: `Rules that declare an Indexed Job succeeded early. ${NOT_ACTED_ON}`,
      backoffLimit:
        'How many pod failures are retried before the Job fails with BackoffLimitExceeded. Default 6.',
      backoffLimitPerIndex: `For Indexed Jobs, the retries per index. ${NOT_ACTED_ON}`,
      maxFailedIndexes: `For Indexed Jobs with backoffLimitPerIndex, how many indexes may fail. ${NOT_ACTED_ON}`,
      selector: typed(
        'LabelSelector',
        "Which pods belong to the Job. Generated from the Job's uid (batch.kubernetes.io/controller-uid) unless manualSelector is true.",
      ),
      manualSelector: "Set to true to give the selector yourself; it must not match other Jobs' pods.",
      template: typed('PodTemplateSpec', 'The pods to run. restartPolicy must be OnFailure or Never.'),
      ttlSecondsAfterFinished:
        'Seconds after the Job finishes before it (and its pods) are deleted. Unset: kept.',
      completionMode: `NonIndexed (default): any pods count towards completions; Indexed: each index from 0 to completions-1 must succeed once. Indexed is accepted; Skiff's Job controller runs NonIndexed Jobs only.`,
      suspend: 'While true, no pods are created and running ones are stopped. Default false.',
      podReplacementPolicy:
        'When a replacement pod is created: TerminatingOrFailed (as soon as the old pod is deleted or failed) or Failed (only once it has fully ended).',
      managedBy:
        'Names another controller that manages this Job instead of the built-in one. Kept as written.',
    },
  },
  JobStatus: {
    description: 'The observed state of a Job.',
    fields: {
      conditions: typed(
        'Condition',
        'Complete or Failed once the Job has finished, and Suspended while it is.',
      ),
      startTime: 'When the controller started the Job (again, after a suspension).',
      completionTime: 'When the Job completed; unset for a failed Job.',
      active: 'Pods running or pending.',
      succeeded: 'Pods that ended with success.',
      failed: 'Pods that ended with failure.',
      terminating: 'Pods being deleted.',
      completedIndexes: 'For Indexed Jobs, the completed indexes, e.g. 1,3-5.',
      failedIndexes: 'For Indexed Jobs with backoffLimitPerIndex, the failed indexes.',
      uncountedTerminatedPods: 'UIDs of ended pods not yet counted in succeeded or failed.',
      ready: 'Active pods that are Ready.',
    },
  },
  CronJob: {
    description:
      'Creates a Job from its template on a cron schedule, in a time zone, under a concurrency policy, and keeps a short history of finished Jobs.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('CronJobSpec', 'The schedule and the Job to run.'),
      status: typed(
        'CronJobStatus',
        'The running Jobs and the last schedule times, as the CronJob controller observed them.',
      ),
    },
  },
  CronJobSpec: {
    description: 'The desired behaviour of a CronJob.',
    fields: {
      schedule:
        'When to run, as a 5-field cron expression (minute hour day-of-month month day-of-week) or a macro such as @hourly or @daily.',
      timeZone:
        'IANA time zone the schedule is read in, e.g. Europe/Paris. Unset: the zone of the process running the CronJob controller.',
      startingDeadlineSeconds:
        'How late, in seconds, a missed run may still start; a run later than that is skipped. Unset: no deadline.',
      concurrencyPolicy:
        'What to do when a run is due while the previous Job still runs: Allow (default: run both), Forbid (skip the new run) or Replace (stop the running Job and start the new one).',
      suspend: 'While true, no new runs start; running Jobs are left alone. Default false.',
      jobTemplate: typed('JobTemplateSpec', 'The Job each run creates.'),
      successfulJobsHistoryLimit: 'How many successful finished Jobs to keep. Default 3.',
      failedJobsHistoryLimit: 'How many failed finished Jobs to keep. Default 1.',
    },
  },
  JobTemplateSpec: {
    description: 'The Job a CronJob creates for each run.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('JobSpec', 'The spec of each Job. Job defaults are applied when the Job is created.'),
    },
  },
  CronJobStatus: {
    description: 'The observed state of a CronJob.',
    fields: {
      active: typed('ObjectReference', 'The Jobs of this CronJob that are running.'),
      lastScheduleTime: 'When a Job was last scheduled.',
      lastSuccessfulTime: 'When a Job last completed successfully.',
    },
  },
};
