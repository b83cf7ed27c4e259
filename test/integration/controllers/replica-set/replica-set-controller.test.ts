import type { ReconcileContext } from '../../../../lib/controllers/controller';
import { keyOf } from '../../../../lib/controllers/controller';
import { StoreEventRecorder } from '../../../../lib/controllers/events/store-event-recorder';
import { replicaSetController } from '../../../../lib/controllers/replica-set/replica-set-controller';
import { decodeObject } from '../../../../lib/kinds/decode';
import { EventKind, type Event } from '../../../../lib/kinds/event';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { PodKind, type Pod } from '../../../../lib/kinds/pod';
import { ReplicaSetKind, type ReplicaSet } from '../../../../lib/kinds/replica-set';
import { createObjectTable } from '../../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../../lib/store/dynamo-object-store';
import { bindPod } from '../../../../lib/store/pod-binding';
import type { ObjectStore } from '../../../../lib/store/object-store';
import { aNamespace, aPod, aReplicaSet, type ReplicaSetOptions } from '../../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../../support/dynamo-engines';

const engine = dynamoEngines()[0];
const NOW = new Date('2025-01-01T12:00:00Z');

describe(`ReplicaSet controller on ${engine.name}`, () => {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('replica-set-controller');
  const store = new DynamoObjectStore({ client, tableName });
  let namespace = '';
  let namespaces = 0;

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace({ name: 'default' })).object);
  });
  afterAll(() => client.destroy());

  /** Each test in a namespace of its own, so the pods of one never meet another's ReplicaSet. */
  beforeEach(async () => {
    namespace = `test-${++namespaces}`;
    await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace({ name: namespace })).object);
  });

  function contextOver(over: ObjectStore = store): ReconcileContext {
    const events = new StoreEventRecorder({ store, component: 'replicaset-controller', now: () => NOW });
    return { store: over, events, now: () => NOW };
  }

  async function createReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
    const manifest = decodeObject(ReplicaSetKind, aReplicaSet({ namespace, ...options })).object;
    return (await store.create(ReplicaSetKind, manifest)) as ReplicaSet;
  }

  async function reconcile(name = 'web-5d8f', over?: ObjectStore) {
    return replicaSetController.reconcile({ kind: ReplicaSetKind, namespace, name }, contextOver(over));
  }

  async function pods(): Promise<Pod[]> {
    const list = await store.list(PodKind, { namespace });
    return (list.items as Pod[]).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  const podNames = async () => (await pods()).map((pod) => pod.metadata.name);

  async function stored(name = 'web-5d8f'): Promise<ReplicaSet> {
    return (await store.get(ReplicaSetKind, namespace, name)) as ReplicaSet;
  }

  async function scale(replicas: number) {
    const rs = await stored();
    await store.update(ReplicaSetKind, { ...rs, spec: { ...rs.spec, replicas } });
  }

  /** What the scheduler and the agent would write: the pod bound to a node, Running and Ready. */
  async function markRunning(pod: Pod, options: { ready: boolean; readySince?: string }) {
    // Bound through pods/binding's path: an update may not set spec.nodeName.
    const bound = await bindPod(
      store,
      pod.metadata.namespace,
      {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata.name },
        target: { name: 'node-1' },
      },
      { now: () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    );
    const conditions = options.ready
      ? [
          {
            type: 'Ready',
            status: 'True' as const,
            lastTransitionTime: options.readySince ?? '2025-01-01T11:00:00Z',
          },
        ]
      : [];
    await store.updateStatus(PodKind, {
      ...bound,
      status: { ...bound.status, phase: 'Running', conditions },
    });
  }

  it('creates the missing pods, controlled by the ReplicaSet', async () => {
    const rs = await createReplicaSet({ replicas: 3, image: 'web:2' });
    await reconcile();
    const created = await pods();
    expect(created).toHaveLength(3);
    for (const pod of created) {
      expect(pod.metadata.name).toMatch(/^web-5d8f-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.labels).toEqual({ app: 'web' });
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-5d8f',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(pod.spec.containers[0].image).toBe('web:2');
    }
    const events = (await store.list(EventKind, { namespace })).items as Event[];
    expect(events.map((event) => [event.reason, event.message]).sort()).toEqual(
      created.map((pod) => ['SuccessfulCreate', `Created pod: ${pod.metadata.name}`]).sort(),
    );
  });

  it('creates nothing more when reconciled again, and then reports the pods', async () => {
    await createReplicaSet({ replicas: 3 });
    await reconcile();
    const first = await pods();
    await reconcile();
    await reconcile();
    const again = await pods();
    expect(again.map((pod) => pod.metadata.uid)).toEqual(first.map((pod) => pod.metadata.uid));
    expect((await stored()).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  });

  it('scaled to 1, deletes the unscheduled and not-ready pods and keeps the ready one', async () => {
    await createReplicaSet({ replicas: 3 });
    await reconcile();
    const [ready, notReady] = await pods();
    await markRunning(ready, { ready: true });
    await markRunning(notReady, { ready: false });
    await scale(1);
    await reconcile();
    // The unscheduled pod goes at once; the one on a node waits for its agent (graceful deletion).
    expect(await podNames()).toEqual([ready.metadata.name, notReady.metadata.name].sort());
    const terminating = (await pods()).find((pod) => pod.metadata.name === notReady.metadata.name);
    expect(terminating?.metadata.deletionGracePeriodSeconds).toBe(30);
    await reconcile(); // a terminating pod no longer counts: nothing is created for it
    expect(await podNames()).toEqual([ready.metadata.name, notReady.metadata.name].sort());
    expect((await stored()).status.replicas).toBe(1);
    const events = (await store.list(EventKind, { namespace })).items as Event[];
    expect(events.filter((event) => event.reason === 'SuccessfulDelete')).toHaveLength(2);
  });

  it('adopts a matching orphan instead of creating a pod', async () => {
    const orphan = decodeObject(PodKind, aPod({ name: 'stray', namespace, labels: { app: 'web' } })).object;
    await store.create(PodKind, orphan);
    const rs = await createReplicaSet({ replicas: 1 });
    await reconcile();
    const [adopted, ...others] = await pods();
    expect(others).toEqual([]);
    expect(adopted.metadata.name).toBe('stray');
    expect(adopted.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', uid: rs.metadata.uid, controller: true }),
    ]);
  });

  it('releases a pod whose labels changed, and replaces it', async () => {
    await createReplicaSet({ replicas: 2 });
    await reconcile();
    const [relabelled] = await pods();
    await store.update(PodKind, {
      ...relabelled,
      metadata: { ...relabelled.metadata, labels: { app: 'debug' } },
    });
    await reconcile();
    const now = await pods();
    expect(now).toHaveLength(3);
    const released = now.find((pod) => pod.metadata.name === relabelled.metadata.name);
    expect(released?.metadata.ownerReferences).toBeUndefined();
    expect(now.filter((pod) => pod.metadata.ownerReferences?.length === 1)).toHaveLength(2);
  });

  it('reports ready and available pods once they are marked Ready, and requeues until available', async () => {
    await createReplicaSet({ replicas: 3, minReadySeconds: 30 });
    await reconcile();
    const [longReady, justReady] = await pods();
    await markRunning(longReady, { ready: true, readySince: '2025-01-01T11:00:00Z' });
    await markRunning(justReady, { ready: true, readySince: '2025-01-01T11:59:50Z' });
    await expect(reconcile()).resolves.toEqual({ requeueAfterSeconds: 20 });
    expect((await stored()).status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 1,
    });
  });

  it('reports a creation failure as the ReplicaFailure condition, and clears it once pods are created', async () => {
    await createReplicaSet({ replicas: 2 });
    const refusingPods: ObjectStore = {
      get: (kind, ns, name) => store.get(kind, ns, name),
      list: (kind, options) => store.list(kind, options),
      create: (kind, object) =>
        kind === PodKind ? Promise.reject(new Error('exceeded quota: pods')) : store.create(kind, object),
      update: (kind, object) => store.update(kind, object),
      updateStatus: (kind, object) => store.updateStatus(kind, object),
      delete: (kind, ns, name, options) => store.delete(kind, ns, name, options),
    };
    await expect(reconcile('web-5d8f', refusingPods)).resolves.toEqual({ requeueAfterSeconds: 10 });
    expect(await pods()).toEqual([]);
    expect((await stored()).status.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: 'exceeded quota: pods',
        lastTransitionTime: '2025-01-01T12:00:00Z',
      },
    ]);
    const warnings = ((await store.list(EventKind, { namespace })).items as Event[]).filter(
      (event) => event.type === 'Warning',
    );
    expect(warnings.map((event) => [event.reason, event.message])).toEqual([
      ['FailedCreate', 'Error creating: exceeded quota: pods'],
    ]);

    await reconcile();
    expect(await pods()).toHaveLength(2);
    expect((await stored()).status.conditions).toBeUndefined();
  });

  it('treats a missing ReplicaSet as done', async () => {
    await expect(reconcile('gone')).resolves.toEqual({});
  });

  it('leaves the pods of a ReplicaSet being deleted to the garbage collector', async () => {
    await createReplicaSet({ replicas: 2 });
    const rs = await stored();
    await store.update(ReplicaSetKind, {
      ...rs,
      metadata: { ...rs.metadata, finalizers: ['example.com/hold'] },
    });
    await store.delete(ReplicaSetKind, namespace, 'web-5d8f');
    await reconcile();
    expect(await pods()).toEqual([]);
  });

  it('is woken by the pods a ReplicaSet controls, and only by those', async () => {
    const rs = await createReplicaSet({ replicas: 1 });
    await reconcile();
    const [pod] = await pods();
    const [watch] = replicaSetController.watches;
    expect(watch.keysFor(pod)).toEqual([keyOf(ReplicaSetKind, rs)]);
    expect(watch.keysFor({ ...pod, metadata: { ...pod.metadata, ownerReferences: undefined } })).toEqual([]);
  });
});
