import type { KubeObject } from '../../../lib/kinds/meta';
import { DeploymentKind } from '../../../lib/kinds/deployment';
import { PodKind } from '../../../lib/kinds/pod';
import { ReplicaSetKind } from '../../../lib/kinds/replica-set';
import { ConflictError } from '../../../lib/store/errors';
import type { ObjectStore } from '../../../lib/store/object-store';
import { imageOf, isActive, isReady, markPodsReady } from '../../support/pod-agent';
import { retryOnConflict } from '../../support/retry-on-conflict';

/**
 * What the control-loop tests read from the store, kept apart from lib's own helpers so the tests
 * check lib's behaviour against an independent reading of it.
 */

export const NAMESPACE = 'default';

export interface PodTemplate {
  metadata: { labels?: Record<string, string> };
  spec: { containers: { name: string; image: string }[] };
}
export interface WorkloadSpec {
  replicas: number;
  template: PodTemplate;
}
export interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
}

export const specOf = (object: KubeObject) => object.spec as WorkloadSpec;
export const statusOf = (object: KubeObject) => (object.status ?? {}) as WorkloadStatus;
export const templateImageOf = (object: KubeObject) => specOf(object).template.spec.containers[0].image;

/** The pods labelled `app: <app>`. */
export async function podsOf(store: ObjectStore, app: string): Promise<KubeObject[]> {
  const { items } = await store.list(PodKind, { namespace: NAMESPACE });
  return items.filter((pod) => pod.metadata.labels?.app === app);
}

/** The ReplicaSets labelled `app: <app>`, whoever owns them. */
export async function replicaSetsOf(store: ObjectStore, app: string): Promise<KubeObject[]> {
  const { items } = await store.list(ReplicaSetKind, { namespace: NAMESPACE });
  return items.filter((rs) => rs.metadata.labels?.app === app);
}

/** The one controller reference of an object, as `Kind/name`. */
export function controllerOf(object: KubeObject): { kind: string; name: string; uid: string } | undefined {
  const ref = object.metadata.ownerReferences?.find((owner) => owner.controller === true);
  return ref && { kind: ref.kind, name: ref.name, uid: ref.uid };
}

/** A read-modify-write of a Deployment's spec, as a client does it: retried while it conflicts. */
export async function changeDeployment(
  store: ObjectStore,
  name: string,
  change: (spec: WorkloadSpec) => void,
): Promise<KubeObject> {
  let written: KubeObject | undefined;
  await retryOnConflict(
    async () => {
      const current = structuredClone(await store.get(DeploymentKind, NAMESPACE, name));
      change(specOf(current));
      written = await store.update(DeploymentKind, current);
    },
    (error) => error instanceof ConflictError,
  );
  return written as KubeObject;
}

/** One look at the pods during a rollout. */
export interface Sample {
  active: number;
  available: number;
}

export interface RolloutBounds {
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * Watches a rollout to `image` while playing the node agent, and checks the rolling-update bounds
 * at every sample: never more than replicas + maxSurge active pods, never fewer than replicas -
 * maxUnavailable available ones (ready, with minReadySeconds 0). Each round samples first, then
 * starts the new pods that have appeared, so every state the agent causes is sampled. Ends when
 * the ReplicaSet running `image` has all its pods ready and every other one is empty; throws at the
 * first sample out of bounds, or when the deadline passes.
 */
export async function watchRollout(
  store: ObjectStore,
  app: string,
  image: string,
  bounds: RolloutBounds,
  deadlineMs = 15_000,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const pods = (await podsOf(store, app)).filter(isActive);
    const sample = { active: pods.length, available: pods.filter(isReady).length };
    samples.push(sample);
    const at = `sample ${samples.length} ${JSON.stringify(sample)} of ${JSON.stringify(bounds)}`;
    if (sample.active > bounds.replicas + bounds.maxSurge) throw new Error(`too many pods at ${at}`);
    if (sample.available < bounds.replicas - bounds.maxUnavailable)
      throw new Error(`too few available pods at ${at}`);
    if (await rolledOut(store, app, image, bounds.replicas)) return samples;
    if (Date.now() > deadline)
      throw new Error(
        `the rollout to ${image} did not finish in ${deadlineMs} ms (${samples.length} samples)`,
      );
    await markPodsReady(store, { namespace: NAMESPACE, labels: { app }, image });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The ReplicaSet running `image` has `replicas` ready pods, every other one none, and so do the pods. */
async function rolledOut(store: ObjectStore, app: string, image: string, replicas: number): Promise<boolean> {
  const sets = await replicaSetsOf(store, app);
  const current = sets.filter((rs) => templateImageOf(rs) === image);
  const others = sets.filter((rs) => templateImageOf(rs) !== image);
  const pods = (await podsOf(store, app)).filter(isActive);
  return (
    current.length === 1 &&
    specOf(current[0]).replicas === replicas &&
    statusOf(current[0]).readyReplicas === replicas &&
    others.every((rs) => specOf(rs).replicas === 0 && (statusOf(rs).replicas ?? 0) === 0) &&
    pods.length === replicas &&
    pods.every((pod) => imageOf(pod) === image && isReady(pod))
  );
}
