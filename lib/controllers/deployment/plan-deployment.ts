import type { Deployment, DeploymentCondition, DeploymentStatus } from '../../kinds/deployment';
import type { PodTemplateSpec } from '../../kinds/pod-template-spec';
import type { ReplicaSet } from '../../kinds/replica-set';
import {
  AUTO_ROLLBACK_ANNOTATION,
  AVAILABLE_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  annotationsCopiedFrom,
  revisionHistoryWith,
} from './annotations';
import { REASONS, findCondition, newCondition, setCondition } from './deployment-conditions';
import {
  calculateStatus,
  deploymentComplete,
  hasProgressDeadline,
  rolloutStatus,
  secondsUntilDeadline,
} from './deployment-status';
import { replicaSetsBeyondHistory } from './history-cleanup';
import { newReplicaSet } from './new-replica-set';
import { pausedConditions } from './paused-conditions';
import { templatesEqualIgnoringHash, withoutHashLabel } from './pod-template-hash';
import { isScalingEvent, proportionalSizes } from './proportional-scaling';
import { byCreation, byRevision, isActive, maxRevision, revisionOf } from './replica-sets';
import { newReplicaSetSize, oldReplicaSetSizes } from './rolling-update';
import { resolveRollingParams, type RollingParams } from './rolling-params';
import { stableJson } from './stable-json';

/** A ReplicaSet to write back: its new size and its full annotations. */
export interface ReplicaSetChange {
  name: string;
  /** Its size before the change, for the ScalingReplicaSet Event. */
  from: number;
  replicas: number;
  annotations: Record<string, string>;
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What one reconcile of a Deployment should do, in the order to do it. */
export interface DeploymentPlan {
  /** The new ReplicaSet to create, when the template has none yet. */
  create?: ReplicaSet;
  changes: ReplicaSetChange[];
  /** Old ReplicaSets, by name, beyond revisionHistoryLimit. */
  delete: string[];
  /** Writes to the Deployment itself: its revision annotation, and a template rolled back. */
  deploymentUpdate?: { annotations: Record<string, string>; template?: PodTemplateSpec };
  status: DeploymentStatus;
  events: PlannedEvent[];
  /** Look again when the progress deadline would pass. */
  requeueAfterSeconds?: number;
}

/**
 * One step of a Deployment's rollout, as kube's deployment controller takes it (sync.go,
 * rolling.go, recreate.go, progress.go), computed without side effects from the Deployment and
 * the ReplicaSets it controls:
 * - the new ReplicaSet is the one whose template is the Deployment's (ignoring the hash label);
 *   a rollback, which patches the template back, so reuses an old one and gives it the next revision;
 * - paused, or spec.replicas changed: only scale (proportionally mid-rollout), never roll out;
 * - RollingUpdate: scale the new ReplicaSet up within maxSurge, else old ones down within
 *   maxUnavailable (availability counted from ReplicaSet status);
 * - Recreate: scale old ones to 0, wait until their pods are gone, then create or scale the new one;
 * - complete: delete old empty ReplicaSets beyond revisionHistoryLimit, mark the new one
 *   `skiff.dev/available` (a good rollback target);
 * - past progressDeadlineSeconds: Progressing=False/ProgressDeadlineExceeded, and with
 *   `skiff.dev/auto-rollback: "true"` the template goes back to the last good revision.
 */
export function planDeployment(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  now: Date,
): DeploymentPlan {
  const step = new Step(deployment, replicaSets, now);
  const status = step.run();
  return step.toPlan(status);
}

/** Working state of one plan: copies of the ReplicaSets that the step resizes and annotates. */
class Step {
  private readonly params: RollingParams;
  private readonly working: ReplicaSet[];
  private conditions: DeploymentCondition[];
  private newRS: ReplicaSet | undefined;
  private created: ReplicaSet | undefined;
  private deletions: string[] = [];
  private template: PodTemplateSpec | undefined;
  private readonly events: PlannedEvent[] = [];

  constructor(
    private readonly deployment: Deployment,
    private readonly originals: readonly ReplicaSet[],
    private readonly now: Date,
  ) {
    this.params = resolveRollingParams(deployment.spec.strategy, deployment.spec.replicas);
    this.working = originals.map((rs) => structuredClone(rs)).sort(byCreation);
    this.conditions = pausedConditions(deployment, now);
    this.newRS = this.working.find((rs) =>
      templatesEqualIgnoringHash(rs.spec.template, deployment.spec.template),
    );
  }

  private get old(): ReplicaSet[] {
    return this.working.filter((rs) => rs !== this.newRS);
  }

  run(): DeploymentStatus {
    const d = this.deployment;
    this.syncRevision();
    let status: DeploymentStatus;
    if (d.spec.paused || isScalingEvent(d, this.working)) {
      this.resize(proportionalSizes(d, this.newRS, this.old));
      if (d.spec.paused) this.deletions = replicaSetsBeyondHistory(d, this.old);
      status = calculateStatus(d, this.working, this.newRS, this.conditions, this.now);
    } else {
      if (d.spec.strategy.type === 'Recreate') this.recreate();
      else this.rollingUpdate();
      status = rolloutStatus(d, this.working, this.newRS, this.conditions, this.now);
      if (deploymentComplete(d, status)) this.deletions = replicaSetsBeyondHistory(d, this.old);
    }
    if (this.newRS && deploymentComplete(d, status))
      this.annotate(this.newRS, { [AVAILABLE_ANNOTATION]: 'true' });
    return this.autoRollback(status);
  }

  private rollingUpdate(): void {
    const { replicas } = this.deployment.spec;
    if (!this.newRS) {
      this.createNew(newReplicaSetSize(replicas, this.params, 0, this.working));
    } else {
      const size = newReplicaSetSize(replicas, this.params, this.newRS.spec.replicas, this.working);
      if (size !== this.newRS.spec.replicas) {
        this.scale(this.newRS, size);
        return;
      }
    }
    this.resize(oldReplicaSetSizes(replicas, this.params, this.newRS, this.old));
  }

  /** Old pods must be gone (their ReplicaSets report none, terminating included) before new ones start. */
  private recreate(): void {
    const activeOld = this.old.filter(isActive);
    if (activeOld.length > 0) {
      for (const rs of activeOld) this.scale(rs, 0);
      return;
    }
    const running = this.old.some((rs) => rs.status.replicas + (rs.status.terminatingReplicas ?? 0) > 0);
    if (running) return;
    const { replicas } = this.deployment.spec;
    if (!this.newRS) this.createNew(replicas);
    else if (this.newRS.spec.replicas !== replicas) this.scale(this.newRS, replicas);
  }

  /**
   * The new ReplicaSet carries the Deployment's annotations (kube's copyDeploymentAnnotationsToReplicaSet)
   * and the next revision, one past every old one (kube's getNewReplicaSet); a ReplicaSet that
   * had a revision before (a rollback reuses it) keeps it in its revision history.
   */
  private syncRevision(): void {
    const rs = this.newRS;
    if (!rs) return;
    this.annotate(rs, annotationsCopiedFrom(this.deployment.metadata.annotations));
    const next = maxRevision(this.old) + 1;
    const previous = rs.metadata.annotations?.[REVISION_ANNOTATION];
    if (revisionOf(rs) < next) {
      this.annotate(rs, { [REVISION_ANNOTATION]: String(next) });
      if (previous !== undefined)
        this.annotate(rs, {
          [REVISION_HISTORY_ANNOTATION]: revisionHistoryWith(
            rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION],
            previous,
          ),
        });
    }
    if (hasProgressDeadline(this.deployment) && !findCondition(this.conditions, 'Progressing')) {
      const message = `Found new replica set "${rs.metadata.name ?? ''}"`;
      this.setCondition(newCondition('Progressing', 'True', REASONS.foundNewReplicaSet, message, this.now));
    }
  }

  private createNew(replicas: number): void {
    const rs = newReplicaSet(this.deployment, replicas, maxRevision(this.working) + 1, this.params.maxSurge);
    this.newRS = rs;
    this.created = rs;
    this.working.push(rs);
    if (hasProgressDeadline(this.deployment)) {
      const message = `Created new replica set "${rs.metadata.name ?? ''}"`;
      this.setCondition(newCondition('Progressing', 'True', REASONS.newReplicaSetCreated, message, this.now));
    }
  }

  private autoRollback(status: DeploymentStatus): DeploymentStatus {
    const d = this.deployment;
    const before = findCondition(d.status.conditions ?? [], 'Progressing');
    const after = findCondition(status.conditions ?? [], 'Progressing');
    const justTimedOut =
      after?.reason === REASONS.progressDeadlineExceeded &&
      before?.reason !== REASONS.progressDeadlineExceeded;
    if (!justTimedOut || d.metadata.annotations?.[AUTO_ROLLBACK_ANNOTATION] !== 'true') return status;
    const good = this.old
      .filter((rs) => rs.metadata.annotations?.[AVAILABLE_ANNOTATION] === 'true')
      .sort(byRevision)
      .at(-1);
    if (!good) return status;
    this.template = withoutHashLabel(good.spec.template);
    const message =
      `ReplicaSet "${this.newRS?.metadata.name ?? ''}" has timed out progressing; ` +
      `rolled back to revision ${revisionOf(good)} (ReplicaSet "${good.metadata.name ?? ''}").`;
    this.events.push({ type: 'Warning', reason: 'AutoRollback', message });
    const conditions = (status.conditions ?? []).map((c) =>
      c.type === 'Progressing' ? { ...c, message } : c,
    );
    return { ...status, conditions };
  }

  private setCondition(condition: DeploymentCondition): void {
    this.conditions = setCondition(this.conditions, condition);
  }

  private resize(sizes: Map<string, number>): void {
    for (const rs of this.working) {
      const size = sizes.get(rs.metadata.name ?? '');
      if (size !== undefined) this.scale(rs, size);
    }
  }

  /** Sizes a ReplicaSet, recording the spec.replicas and max it was sized for (kube's SetReplicasAnnotations). */
  private scale(rs: ReplicaSet, replicas: number): void {
    rs.spec.replicas = replicas;
    const { replicas: desired } = this.deployment.spec;
    this.annotate(rs, {
      [DESIRED_REPLICAS_ANNOTATION]: String(desired),
      [MAX_REPLICAS_ANNOTATION]: String(desired + this.params.maxSurge),
    });
  }

  private annotate(rs: ReplicaSet, annotations: Record<string, string>): void {
    rs.metadata.annotations = { ...rs.metadata.annotations, ...annotations };
  }

  toPlan(status: DeploymentStatus): DeploymentPlan {
    const changes: ReplicaSetChange[] = [];
    const events: PlannedEvent[] = [];
    const created = this.created;
    if (created && created.spec.replicas > 0)
      events.push(scalingEvent('up', created.metadata.name ?? '', 0, created.spec.replicas));
    for (const original of this.originals) {
      const name = original.metadata.name ?? '';
      const rs = this.working.find((w) => w.metadata.name === name);
      if (!rs) continue;
      const annotations = rs.metadata.annotations ?? {};
      const resized = rs.spec.replicas !== original.spec.replicas;
      if (!resized && stableJson(annotations) === stableJson(original.metadata.annotations ?? {})) continue;
      changes.push({ name, from: original.spec.replicas, replicas: rs.spec.replicas, annotations });
      if (resized)
        events.push(
          scalingEvent(
            rs.spec.replicas > original.spec.replicas ? 'up' : 'down',
            name,
            original.spec.replicas,
            rs.spec.replicas,
          ),
        );
    }
    const plan: DeploymentPlan = {
      ...(created ? { create: created } : {}),
      changes,
      delete: this.deletions,
      status,
      events: [...events, ...this.events],
    };
    const deploymentUpdate = this.deploymentUpdate();
    if (deploymentUpdate) plan.deploymentUpdate = deploymentUpdate;
    const requeue = secondsUntilDeadline(this.deployment, status, this.now);
    if (requeue !== undefined) plan.requeueAfterSeconds = requeue;
    return plan;
  }

  /** The Deployment carries its new ReplicaSet's revision, as `kubectl rollout history` expects. */
  private deploymentUpdate(): DeploymentPlan['deploymentUpdate'] {
    const annotations = { ...this.deployment.metadata.annotations };
    const revision = this.newRS?.metadata.annotations?.[REVISION_ANNOTATION];
    const revised = revision !== undefined && annotations[REVISION_ANNOTATION] !== revision;
    if (revised) annotations[REVISION_ANNOTATION] = revision;
    if (!revised && !this.template) return undefined;
    return { annotations, ...(this.template ? { template: this.template } : {}) };
  }
}

/** kube's ScalingReplicaSet event, with the size before and after (`Scaled up replica set web-x from 0 to 2`). */
function scalingEvent(direction: 'up' | 'down', name: string, from: number, replicas: number): PlannedEvent {
  return {
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled ${direction} replica set ${name} from ${from} to ${replicas}`,
  };
}
