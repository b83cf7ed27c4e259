import { Deployment } from '../../../../lib/kinds/deployment';
import type { ReplicaSet } from '../../../../lib/kinds/replica-set';
import type { DeploymentPlan } from '../../../../lib/controllers/deployment/plan-deployment';
import { planDeployment } from '../../../../lib/controllers/deployment/plan-deployment';
import { aDeployment, type DeploymentOptions } from '../../../support/builders';

/**
 * A Deployment and its ReplicaSets held in memory, with the store's part (uids, generation,
 * creation times) and the ReplicaSet controller's part (status from spec) simulated, so plan
 * steps can be applied one after another as the real controllers would take them.
 */

export const T0 = new Date('2026-01-01T00:00:00Z');

export const secondsAfter = (start: Date, seconds: number): Date =>
  new Date(start.getTime() + seconds * 1000);

/** A stored Deployment `web` (uid `uid-web`, generation 1), defaults applied. */
export function storedDeployment(options: DeploymentOptions = {}, generation = 1): Deployment {
  const manifest = aDeployment(options);
  return Deployment.parse({
    ...manifest,
    metadata: { ...manifest.metadata, uid: 'uid-web', generation, creationTimestamp: '2025-12-31T00:00:00Z' },
  });
}

/** The ReplicaSet controller's view: all wanted pods exist, and `available` of them (default all) are available. */
export function settle(rs: ReplicaSet, available = rs.spec.replicas): ReplicaSet {
  return {
    ...rs,
    status: {
      replicas: rs.spec.replicas,
      readyReplicas: available,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation ?? 1,
    },
  };
}

export interface World {
  deployment: Deployment;
  replicaSets: ReplicaSet[];
}

let created = 0;

/** The world after the plan's writes (before the ReplicaSet controller reacts). */
export function applyPlan(world: World, plan: DeploymentPlan, now: Date): World {
  let replicaSets = world.replicaSets
    .filter((rs) => !plan.delete.includes(rs.metadata.name ?? ''))
    .map((rs) => {
      const change = plan.changes.find((c) => c.name === rs.metadata.name);
      if (!change) return rs;
      const resized = change.replicas !== rs.spec.replicas;
      return {
        ...rs,
        metadata: {
          ...rs.metadata,
          annotations: change.annotations,
          generation: (rs.metadata.generation ?? 1) + (resized ? 1 : 0),
        },
        spec: { ...rs.spec, replicas: change.replicas },
      };
    });
  if (plan.create) {
    created += 1;
    const stamp = new Date(now.getTime() + created).toISOString().replace(/\.\d{3}Z$/, 'Z');
    replicaSets = [
      ...replicaSets,
      {
        ...plan.create,
        metadata: {
          ...plan.create.metadata,
          uid: `uid-${plan.create.metadata.name}`,
          generation: 1,
          creationTimestamp: stamp,
        },
      },
    ];
  }
  const update = plan.deploymentUpdate;
  const generation = (world.deployment.metadata.generation ?? 1) + (update?.template ? 1 : 0);
  const deployment: Deployment = {
    ...world.deployment,
    metadata: {
      ...world.deployment.metadata,
      generation,
      ...(update ? { annotations: update.annotations } : {}),
    },
    spec: update?.template ? { ...world.deployment.spec, template: update.template } : world.deployment.spec,
    status: plan.status,
  };
  return { deployment, replicaSets };
}

/** Plans and applies one step at `now`. */
export function step(world: World, now: Date): { world: World; plan: DeploymentPlan } {
  const plan = planDeployment(world.deployment, world.replicaSets, now);
  return { world: applyPlan(world, plan, now), plan };
}

/** Every ReplicaSet settled with all its pods available. */
export function settleAll(world: World): World {
  return { ...world, replicaSets: world.replicaSets.map((rs) => settle(rs)) };
}

/** Steps, settling the ReplicaSets each time, until a step changes nothing (at most 50). */
export function rollOut(world: World, now: Date): World {
  let current = world;
  for (let i = 0; i < 50; i++) {
    const { world: next, plan } = step(settleAll(current), now);
    current = settleAll(next);
    if (!plan.create && plan.changes.length === 0 && plan.delete.length === 0 && !plan.deploymentUpdate)
      return current;
  }
  throw new Error('the rollout did not settle in 50 steps');
}

/** `{ name: replicas }` of the ReplicaSets, for compact assertions. */
export function sizes(world: World): Record<string, number> {
  return Object.fromEntries(world.replicaSets.map((rs) => [rs.metadata.name ?? '', rs.spec.replicas]));
}

/** The Deployment with a new image (a new template), as `kubectl set image` would. */
export function withImage(world: World, image: string): World {
  const template = structuredClone(world.deployment.spec.template);
  template.spec.containers[0].image = image;
  const generation = (world.deployment.metadata.generation ?? 1) + 1;
  return {
    ...world,
    deployment: {
      ...world.deployment,
      metadata: { ...world.deployment.metadata, generation },
      spec: { ...world.deployment.spec, template },
    },
  };
}
