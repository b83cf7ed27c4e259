import {
  deploymentController,
  ReplicaSetNameCollisionError,
} from '../../../../lib/controllers/deployment/deployment-controller';
import { planDeployment } from '../../../../lib/controllers/deployment/plan-deployment';
import type { EventRecorder } from '../../../../lib/controllers/event-recorder';
import type { ReconcileContext } from '../../../../lib/controllers/controller';
import { decodeObject } from '../../../../lib/kinds/decode';
import { Deployment, DeploymentKind } from '../../../../lib/kinds/deployment';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { ReplicaSetKind } from '../../../../lib/kinds/replica-set';
import { createObjectTable } from '../../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../../lib/store/dynamo-object-store';
import { aDeployment, aNamespace, aReplicaSet, type DeploymentManifest } from '../../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../../support/dynamo-engines';

/** An EventRecorder that keeps what it was given (a fake at our own port). */
function recordingEvents(): EventRecorder & { recorded: string[] } {
  const recorded: string[] = [];
  return {
    recorded,
    async record(about, type, reason, message) {
      recorded.push(`${about.metadata.name ?? ''} ${type} ${reason}: ${message}`);
    },
  };
}

type Spec = { replicas: number; template: { spec: { containers: { image: string }[] } } };
const specOf = (object: KubeObject) => object.spec as Spec;
const statusOf = (object: KubeObject) =>
  object.status as Record<string, unknown> & { conditions?: { type: string; reason?: string }[] };
const imageOf = (object: KubeObject) => specOf(object).template.spec.containers[0].image;

const engine = dynamoEngines()[0];

describe(`Deployment controller on ${engine.name}`, () => {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('deployment-controller');
  const store = new DynamoObjectStore({ client, tableName });
  let clock = new Date('2026-01-01T00:00:00Z');
  let events = recordingEvents();
  const context = (): ReconcileContext => ({ store, events, now: () => clock });
  const key = (name: string) => ({ kind: DeploymentKind, namespace: 'default', name });
  const reconcile = (name: string) => deploymentController.reconcile(key(name), context());

  const create = (manifest: DeploymentManifest) =>
    store.create(DeploymentKind, decodeObject(DeploymentKind, manifest).object);
  const replicaSetsOf = async (deployment: KubeObject) =>
    (await store.list(ReplicaSetKind, { namespace: 'default' })).items.filter((rs) =>
      rs.metadata.ownerReferences?.some((owner) => owner.uid === deployment.metadata.uid),
    );
  /** What the ReplicaSet controller would report once every pod is up (or `available` of them). */
  const settle = async (rs: KubeObject, available = specOf(rs).replicas) => {
    const replicas = specOf(rs).replicas;
    await store.updateStatus(ReplicaSetKind, {
      ...rs,
      status: {
        replicas,
        readyReplicas: available,
        availableReplicas: available,
        observedGeneration: rs.metadata.generation,
      },
    });
  };

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace({ name: 'default' })).object);
  });
  beforeEach(() => {
    events = recordingEvents();
  });
  afterAll(() => client.destroy());

  it('treats a missing Deployment as done', async () => {
    await expect(reconcile('absent')).resolves.toEqual({});
  });

  it('creates one ReplicaSet for the template, then reports the rollout complete once its pods are available', async () => {
    const deployment = await create(aDeployment({ name: 'web', replicas: 3 }));
    const result = await reconcile('web');

    const [rs] = await replicaSetsOf(deployment);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(specOf(rs).replicas).toBe(3);
    expect(rs.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'web',
        uid: deployment.metadata.uid,
        controller: true,
      }),
    ]);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(events.recorded).toEqual([
      `web Normal ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`,
    ]);
    expect(result.requeueAfterSeconds).toBe(601);

    let stored = await store.get(DeploymentKind, 'default', 'web');
    expect(stored.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(statusOf(stored)).toMatchObject({
      observedGeneration: 1,
      replicas: 0,
      availableReplicas: 0,
      unavailableReplicas: 3,
    });
    expect(statusOf(stored).conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetCreated',
    );

    await settle(rs);
    clock = new Date('2026-01-01T00:00:30Z');
    await reconcile('web');
    stored = await store.get(DeploymentKind, 'default', 'web');
    expect(statusOf(stored)).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
    });
    expect(
      statusOf(stored)
        .conditions?.map((c) => `${c.type}/${c.reason}`)
        .sort(),
    ).toEqual(['Available/MinimumReplicasAvailable', 'Progressing/NewReplicaSetAvailable']);
    const [available] = await replicaSetsOf(deployment);
    expect(available.metadata.annotations?.['skiff.dev/available']).toBe('true');
  });

  it('writes nothing when nothing changed', async () => {
    await reconcile('web');
    const before = await store.get(DeploymentKind, 'default', 'web');
    const replicaSetsBefore = await replicaSetsOf(before);
    await reconcile('web');
    expect((await store.get(DeploymentKind, 'default', 'web')).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect((await replicaSetsOf(before)).map((rs) => rs.metadata.resourceVersion)).toEqual(
      replicaSetsBefore.map((rs) => rs.metadata.resourceVersion),
    );
    expect(events.recorded).toEqual([]);
  });

  it('rolls a new template out alongside the old ReplicaSet within maxSurge', async () => {
    const current = await store.get(DeploymentKind, 'default', 'web');
    const next = structuredClone(current) as KubeObject & { spec: Spec };
    next.spec.template.spec.containers[0].image = 'nginx:1.28';
    const updated = await store.update(DeploymentKind, next);
    await reconcile('web');

    const replicaSets = await replicaSetsOf(updated);
    const byImage = Object.fromEntries(replicaSets.map((rs) => [imageOf(rs), specOf(rs).replicas]));
    // 3 replicas, 25%: surge 1, unavailable 0.
    expect(byImage).toEqual({ 'nginx:1.27': 3, 'nginx:1.28': 1 });
    const fresh = replicaSets.find((rs) => imageOf(rs) === 'nginx:1.28') as KubeObject;
    expect(fresh.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const stored = await store.get(DeploymentKind, 'default', 'web');
    expect(stored.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(statusOf(stored)).toMatchObject({ observedGeneration: 2, updatedReplicas: 0 });
  });

  it('escapes a name taken by a foreign ReplicaSet by bumping collisionCount, then creates under a new name', async () => {
    const deployment = await create(aDeployment({ name: 'api', replicas: 1 }));
    const plan = planDeployment(Deployment.parse(deployment), [], clock);
    const squatter = decodeObject(
      ReplicaSetKind,
      aReplicaSet({ name: plan.create?.metadata.name, podLabels: { app: 'other' } }),
    );
    await store.create(ReplicaSetKind, squatter.object);

    await expect(reconcile('api')).rejects.toThrow(ReplicaSetNameCollisionError);
    expect(statusOf(await store.get(DeploymentKind, 'default', 'api')).collisionCount).toBe(1);

    await reconcile('api');
    const [rs] = await replicaSetsOf(deployment);
    expect(rs.metadata.name).not.toBe(plan.create?.metadata.name);
    expect(rs.metadata.name).toMatch(/^api-/);
  });

  it('is woken by a change to a ReplicaSet it controls, and not by others', () => {
    const owned = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-abc',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u', controller: true },
        ],
      },
    };
    const [watch] = deploymentController.watches;
    expect(watch.kind).toBe(ReplicaSetKind);
    expect(watch.keysFor(owned)).toEqual([key('web')]);
    expect(watch.keysFor({ ...owned, metadata: { name: 'lone', namespace: 'default' } })).toEqual([]);
  });
});
