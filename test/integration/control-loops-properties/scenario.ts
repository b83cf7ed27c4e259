import fc from 'fast-check';
import { decodeObject } from '../../../lib/kinds/decode';
import { DeploymentKind } from '../../../lib/kinds/deployment';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { PodKind } from '../../../lib/kinds/pod';
import { ReplicaSetKind } from '../../../lib/kinds/replica-set';
import { AlreadyExistsError, NotFoundError } from '../../../lib/store/errors';
import type { ObjectStore } from '../../../lib/store/object-store';
import { aDeployment, aReplicaSet } from '../../support/builders';

/**
 * A small world of user writes, as a client would make them through the API (decodeObject
 * first): Deployments created, scaled, re-imaged and deleted, a ReplicaSet created directly, a
 * pod killed. Steps are grouped into rounds; the control loop settles after each round, so every
 * way of delivering the stream starts each round from the same level.
 */

export const DEPLOYMENT_NAMES = ['web', 'api', 'db'] as const;
type DeploymentName = (typeof DEPLOYMENT_NAMES)[number];
const IMAGES = ['nginx:1.27', 'nginx:1.28', 'nginx:1.29'] as const;

export type Step =
  | { type: 'createDeployment'; name: DeploymentName; replicas: number }
  | { type: 'scaleDeployment'; name: DeploymentName; replicas: number }
  | { type: 'changeImage'; name: DeploymentName; image: string }
  | { type: 'deleteDeployment'; name: DeploymentName; policy?: 'Background' | 'Foreground' | 'Orphan' }
  | { type: 'createReplicaSet'; replicas: number; selects: 'own' | DeploymentName }
  | { type: 'scaleReplicaSet'; replicas: number }
  | { type: 'deletePod'; owner: DeploymentName | 'solo' };

export interface Scenario {
  /** Each round's writes are applied back to back; the loop settles between rounds. */
  rounds: Step[][];
  /** Records per batch (1 makes every record its own batch). */
  batchSize: number;
  /** Seeds the shuffle of the reordered delivery. */
  shuffleSeed: number;
}

const deploymentName = fc.constantFrom(...DEPLOYMENT_NAMES);
const replicas = fc.integer({ min: 0, max: 4 });

const followUp: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('scaleDeployment' as const), name: deploymentName, replicas }),
  fc.record({
    type: fc.constant('changeImage' as const),
    name: deploymentName,
    image: fc.constantFrom(...IMAGES),
  }),
  fc.record(
    {
      type: fc.constant('deleteDeployment' as const),
      name: deploymentName,
      policy: fc.constantFrom('Background' as const, 'Foreground' as const, 'Orphan' as const),
    },
    { requiredKeys: ['type', 'name'] },
  ),
  fc.record({
    type: fc.constant('createReplicaSet' as const),
    replicas,
    selects: fc.constantFrom('own' as const, ...DEPLOYMENT_NAMES),
  }),
  fc.record({ type: fc.constant('scaleReplicaSet' as const), replicas }),
  fc.record({
    type: fc.constant('deletePod' as const),
    owner: fc.constantFrom('solo' as const, ...DEPLOYMENT_NAMES),
  }),
);

/** 1–3 Deployments of 0–4 replicas, then up to 3 rounds of 1–2 follow-up writes. */
export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  rounds: fc
    .tuple(
      fc.uniqueArray(fc.record({ name: deploymentName, replicas }), {
        minLength: 1,
        maxLength: 3,
        selector: (d) => d.name,
      }),
      fc.array(fc.array(followUp, { minLength: 1, maxLength: 2 }), { maxLength: 3 }),
    )
    .map(([created, later]) => [created.map((d): Step => ({ type: 'createDeployment', ...d })), ...later]),
  batchSize: fc.integer({ min: 1, max: 10 }),
  shuffleSeed: fc.integer(),
});

/** The directly created ReplicaSet's name. */
const SOLO = 'solo';

/**
 * Applies one user write. Writes about objects that are not there (a Deployment deleted in an
 * earlier round, a pod not yet made) are skipped: every delivery reaches the same level before
 * the round, so all of them skip the same writes.
 */
export async function applyStep(store: ObjectStore, step: Step): Promise<void> {
  switch (step.type) {
    case 'createDeployment':
      await store.create(
        DeploymentKind,
        decodeObject(DeploymentKind, aDeployment({ name: step.name, replicas: step.replicas })).object,
      );
      return;
    case 'scaleDeployment':
      return modify(store, DeploymentKind, step.name, (spec) => ({ ...spec, replicas: step.replicas }));
    case 'changeImage':
      return modify(store, DeploymentKind, step.name, (spec) => withImage(spec, step.image));
    case 'deleteDeployment':
      return ignoringNotFound(async () => {
        await store.delete(DeploymentKind, 'default', step.name, {
          ...(step.policy ? { propagationPolicy: step.policy } : {}),
        });
      });
    case 'createReplicaSet': {
      const podLabels = { app: step.selects === 'own' ? SOLO : step.selects };
      const manifest = aReplicaSet({ name: SOLO, replicas: step.replicas, podLabels });
      try {
        await store.create(ReplicaSetKind, decodeObject(ReplicaSetKind, manifest).object);
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
      return;
    }
    case 'scaleReplicaSet':
      return modify(store, ReplicaSetKind, SOLO, (spec) => ({ ...spec, replicas: step.replicas }));
    case 'deletePod': {
      // Any one pod of the owner: the owner's pods differ only by name, which runs do not share.
      const { items } = await store.list(PodKind, { namespace: 'default' });
      const pod = items.find((p) =>
        ownerName(p)?.startsWith(step.owner === 'solo' ? SOLO : `${step.owner}-`),
      );
      if (!pod) return;
      return ignoringNotFound(async () => {
        await store.delete(PodKind, 'default', pod.metadata.name ?? '');
      });
    }
  }
}

type Spec = Record<string, unknown>;

function withImage(spec: Spec, image: string): Spec {
  const template = structuredClone(spec.template) as { spec: { containers: { image: string }[] } };
  template.spec.containers[0].image = image;
  return { ...spec, template };
}

function ownerName(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller === true)?.name;
}

/** A read-modify-write of the spec, decoded as the API decodes a PUT. Nothing else writes meanwhile. */
async function modify(store: ObjectStore, kind: KindInfo, name: string, change: (spec: Spec) => Spec) {
  await ignoringNotFound(async () => {
    const current = await store.get(kind, 'default', name);
    if (current.metadata.deletionTimestamp) return;
    const next = { ...current, spec: change(current.spec as Spec) };
    await store.update(kind, decodeObject(kind, next).object);
  });
}

async function ignoringNotFound(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
