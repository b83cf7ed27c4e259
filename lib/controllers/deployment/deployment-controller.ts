import { Deployment, DeploymentKind } from '../../kinds/deployment';
import type { KubeObject } from '../../kinds/meta';
import { ReplicaSet, ReplicaSetKind } from '../../kinds/replica-set';
import { AlreadyExistsError, NotFoundError } from '../../store/errors';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { planDeployment, type DeploymentPlan } from './plan-deployment';
import { templatesEqualIgnoringHash } from './pod-template-hash';
import { stableJson } from './stable-json';

/**
 * Another ReplicaSet already has the name the template hashes to. collisionCount has been bumped
 * on the Deployment, so the retry hashes to a new name (kube's hash-collision escape).
 */
export class ReplicaSetNameCollisionError extends Error {}

/** The Deployment a ReplicaSet's controller reference names, if it is one. */
function controllingDeployment(object: KubeObject): ObjectKey[] {
  const ref = object.metadata.ownerReferences?.find((owner) => owner.controller === true);
  if (!ref || ref.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1') return [];
  return [{ kind: DeploymentKind, namespace: object.metadata.namespace, name: ref.name }];
}

function controlledBy(object: KubeObject, uid: string | undefined): boolean {
  return (
    object.metadata.ownerReferences?.some((owner) => owner.controller === true && owner.uid === uid) ?? false
  );
}

/**
 * The Deployment controller: reads a Deployment and the ReplicaSets it controls, plans one rollout
 * step with planDeployment, and applies it with conditional writes (a ReplicaSet that moved
 * since it was read makes the write, and so the reconcile, fail and retry). Pods are the
 * ReplicaSet controller's business: this one only creates, sizes and deletes ReplicaSets and
 * reports the Deployment's status.
 */
export const deploymentController: Controller = {
  name: 'deployment-controller',
  kind: DeploymentKind,
  watches: [{ kind: ReplicaSetKind, keysFor: controllingDeployment }],

  async reconcile(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> {
    const { store } = context;
    let stored: KubeObject;
    try {
      stored = await store.get(DeploymentKind, key.namespace, key.name);
    } catch (error) {
      if (error instanceof NotFoundError) return {};
      throw error;
    }
    // The garbage collector removes the ReplicaSets of a Deployment being deleted.
    if (stored.metadata.deletionTimestamp) return {};
    const deployment = Deployment.parse(stored);
    const owned = await ownedReplicaSets(context, stored);
    const plan = planDeployment(
      deployment,
      owned.map((rs) => ReplicaSet.parse(rs)),
      context.now(),
    );
    await applyReplicaSets(context, stored, deployment, owned, plan);
    await applyDeployment(context, stored, deployment, plan);
    for (const event of plan.events)
      await context.events.record(stored, event.type, event.reason, event.message);
    return plan.requeueAfterSeconds !== undefined ? { requeueAfterSeconds: plan.requeueAfterSeconds } : {};
  },
};

async function ownedReplicaSets(context: ReconcileContext, deployment: KubeObject): Promise<KubeObject[]> {
  const owned: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await context.store.list(ReplicaSetKind, {
      namespace: deployment.metadata.namespace,
      ...(token ? { continue: token } : {}),
    });
    owned.push(...page.items.filter((rs) => controlledBy(rs, deployment.metadata.uid)));
    token = page.metadata.continue;
  } while (token);
  return owned;
}

async function applyReplicaSets(
  context: ReconcileContext,
  stored: KubeObject,
  deployment: Deployment,
  owned: KubeObject[],
  plan: DeploymentPlan,
): Promise<void> {
  const { store } = context;
  if (plan.create) {
    try {
      await store.create(ReplicaSetKind, plan.create);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await store.get(
        ReplicaSetKind,
        plan.create.metadata.namespace,
        plan.create.metadata.name ?? '',
      );
      const ours =
        controlledBy(existing, stored.metadata.uid) &&
        templatesEqualIgnoringHash(ReplicaSet.parse(existing).spec.template, deployment.spec.template);
      if (!ours) {
        const collisionCount = (deployment.status.collisionCount ?? 0) + 1;
        await store.updateStatus(DeploymentKind, {
          ...stored,
          status: { ...deployment.status, collisionCount },
        });
        throw new ReplicaSetNameCollisionError(
          `replica set ${existing.metadata.name ?? ''} already exists with another template; collisionCount is now ${collisionCount}`,
        );
      }
    }
  }
  for (const change of plan.changes) {
    const current = owned.find((rs) => rs.metadata.name === change.name);
    if (!current) continue;
    const next = structuredClone(current) as KubeObject & { spec: { replicas: number } };
    next.spec.replicas = change.replicas;
    next.metadata.annotations = change.annotations;
    await store.update(ReplicaSetKind, next);
  }
  for (const name of plan.delete) {
    const uid = owned.find((rs) => rs.metadata.name === name)?.metadata.uid;
    try {
      await store.delete(ReplicaSetKind, stored.metadata.namespace, name, { preconditions: { uid } });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}

/** The Deployment's own writes: annotations and a rolled-back template first, then status if it changed. */
async function applyDeployment(
  context: ReconcileContext,
  stored: KubeObject,
  deployment: Deployment,
  plan: DeploymentPlan,
): Promise<void> {
  let latest = stored;
  if (plan.deploymentUpdate) {
    const next = structuredClone(stored) as KubeObject & { spec: Record<string, unknown> };
    next.metadata.annotations = plan.deploymentUpdate.annotations;
    if (plan.deploymentUpdate.template) next.spec.template = plan.deploymentUpdate.template;
    latest = await context.store.update(DeploymentKind, next);
  }
  if (stableJson(plan.status) !== stableJson(deployment.status))
    await context.store.updateStatus(DeploymentKind, { ...latest, status: plan.status });
}
