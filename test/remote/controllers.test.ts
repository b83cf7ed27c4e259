import { randomBytes } from 'node:crypto';
import { isNotFound } from '../../lib/client/api-error';
import { KubeClient } from '../../lib/client/kube-client';
import type { ResourceRef } from '../../lib/client/resource-path';
import { remoteBearerTokens } from '../support/remote-proxy';
import {
  REMOTE_CONTROL_LOOP_DEADLINE_MS,
  converged,
  findRemote,
  remoteTarget,
  type RemoteTarget,
} from '../support/remote-target';

/**
 * The controllers end to end on a deployed Skiff (SKIFF_TARGET=localstack or SKIFF_API_URL;
 * skipped without one), through Skiff's own KubeClient straight to the deployed API: each write
 * lands in DynamoDB, whose stream wakes the deployed reconcile function, so every end state is
 * polled until it holds (REMOTE_CONTROL_LOOP_DEADLINE_MS). The stack has no nodes: pods stay
 * Pending, unbound, so only what holds without nodes is asserted (REMOTE_GAPS).
 */
const target = remoteTarget();
const describeRemote = target ? describe : describe.skip;

/** A case's timeout: one control-loop deadline per end state it waits for, and its requests. */
const caseTimeout = (endStates: number) => endStates * REMOTE_CONTROL_LOOP_DEADLINE_MS + 15_000;

interface OwnerReference {
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

interface Obj {
  metadata: {
    name: string;
    uid: string;
    generation?: number;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec?: { replicas?: number; nodeName?: string };
  status?: { replicas?: number; observedGeneration?: number; phase?: string; active?: number };
}

const apps = (namespace: string, plural: string, name?: string): ResourceRef => ({
  apiVersion: 'apps/v1',
  plural,
  namespace,
  name,
});
const core = (namespace: string, plural: string, name?: string): ResourceRef => ({
  apiVersion: 'v1',
  plural,
  namespace,
  name,
});
const batch = (namespace: string, plural: string, name?: string): ResourceRef => ({
  apiVersion: 'batch/v1',
  plural,
  namespace,
  name,
});

/** The objects `owner` controls (its controller reference), as the garbage collector sees them. */
const controlledBy = (objects: Obj[], owner: Obj) =>
  objects.filter((object) =>
    object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid && ref.controller),
  );

const podTemplate = (labels: Record<string, string>, restartPolicy?: string) => ({
  metadata: { labels },
  spec: {
    ...(restartPolicy ? { restartPolicy } : {}),
    containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }],
  },
});

const aDeployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: podTemplate({ app: name }) },
});

describeRemote(`the controllers on the deployed stack (${target?.apiUrl})`, () => {
  const namespace = `controllers-${randomBytes(3).toString('hex')}`;
  let client: KubeClient;

  const list = async (ref: ResourceRef, labelSelector?: string) =>
    (await client.list<Obj>(ref, { labelSelector })).items;
  /** Undefined once the object is gone (NotFound). */
  const find = (ref: ResourceRef) => findRemote<Obj>(client, ref);

  beforeAll(async () => {
    client = new KubeClient({
      server: (target as RemoteTarget).apiUrl,
      token: remoteBearerTokens(target as RemoteTarget),
    });
    await client.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name: namespace } });
  });

  afterAll(async () => {
    await client
      ?.delete({ apiVersion: 'v1', plural: 'namespaces', name: namespace })
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
  });

  describe('Deployment', () => {
    const name = 'fan';
    let deployment: Obj;

    it(
      'fans out to one ReplicaSet and its Pods, which wait Pending for a node',
      async () => {
        deployment = await client.create<Obj>(apps(namespace, 'deployments'), aDeployment(name, 2));
        const replicaSet = await converged(async () => {
          const owned = controlledBy(await list(apps(namespace, 'replicasets')), deployment);
          expect(owned.map((set) => set.spec?.replicas)).toEqual([2]);
          return owned[0];
        });
        await converged(async () => {
          const pods = controlledBy(await list(core(namespace, 'pods')), replicaSet);
          expect(pods.map((pod) => ({ phase: pod.status?.phase, node: pod.spec?.nodeName }))).toEqual([
            { phase: 'Pending', node: undefined },
            { phase: 'Pending', node: undefined },
          ]);
        });
        // The Deployment controller reports what it made, for the generation it saw.
        await converged(async () => {
          const status = (await client.get<Obj>(apps(namespace, 'deployments', name))).status;
          expect(status).toMatchObject({ replicas: 2, observedGeneration: deployment.metadata.generation });
        });
      },
      caseTimeout(3),
    );

    it(
      'a scale change through deployments/scale converges: the ReplicaSet and its Pods follow',
      async () => {
        await client.patch(
          { ...apps(namespace, 'deployments', name), subresource: 'scale' },
          { spec: { replicas: 4 } },
        );
        const replicaSet = await converged(async () => {
          const owned = controlledBy(await list(apps(namespace, 'replicasets')), deployment);
          expect(owned.map((set) => set.spec?.replicas)).toEqual([4]);
          return owned[0];
        });
        await converged(async () =>
          expect(controlledBy(await list(core(namespace, 'pods')), replicaSet)).toHaveLength(4),
        );
        await converged(async () =>
          expect((await client.get<Obj>(apps(namespace, 'deployments', name))).status?.replicas).toBe(4),
        );
      },
      caseTimeout(3),
    );

    it(
      'a foreground deletion cascades: the garbage collector removes the Pods and ReplicaSet, then the Deployment',
      async () => {
        const replicaSets = controlledBy(await list(apps(namespace, 'replicasets')), deployment);
        expect(replicaSets).toHaveLength(1);
        const deleting = await client.delete<Obj>(apps(namespace, 'deployments', name), {
          propagationPolicy: 'Foreground',
        });
        // Kept, marked, until its dependents are gone (kube's foregroundDeletion finalizer).
        expect(deleting.metadata.finalizers).toContain('foregroundDeletion');
        expect(deleting.metadata.deletionTimestamp).toBeDefined();
        await converged(async () => {
          expect(await list(core(namespace, 'pods'), `app=${name}`)).toEqual([]);
          expect(await list(apps(namespace, 'replicasets'), `app=${name}`)).toEqual([]);
          expect(await find(apps(namespace, 'deployments', name))).toBeUndefined();
        });
      },
      caseTimeout(1),
    );
  });

  describe('Job', () => {
    it(
      'creates its pod, labelled with the Job and controlled by it, and counts it active',
      async () => {
        const job = await client.create<Obj>(batch(namespace, 'jobs'), {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'once' },
          spec: { template: podTemplate({ task: 'once' }, 'Never') },
        });
        const pods = await converged(async () => {
          const owned = await list(core(namespace, 'pods'), 'job-name=once');
          expect(owned).toHaveLength(1);
          return owned;
        });
        expect(controlledBy(pods, job)).toHaveLength(1);
        expect(pods[0].metadata.labels).toMatchObject({ task: 'once', 'controller-uid': job.metadata.uid });
        expect(pods[0].status?.phase).toBe('Pending');
        await converged(async () =>
          expect((await client.get<Obj>(batch(namespace, 'jobs', 'once'))).status?.active).toBe(1),
        );
      },
      caseTimeout(2),
    );
  });

  describe('garbage collection of a kind only the collectors watch (ConfigMap)', () => {
    // The trigger lets a ConfigMap's records through only as collection records (owned, deleting,
    // removed; docs/controllers.md): these cases need both halves of that filter to reach the collector.
    it(
      'a ConfigMap whose owner is gone is collected through its own record',
      async () => {
        await client.create(core(namespace, 'configmaps'), {
          metadata: {
            name: 'orphan',
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                name: 'never-was',
                uid: '0e0e0e0e-0000-4000-8000-000000000000',
              },
            ],
          },
          data: { a: '1' },
        });
        await converged(async () =>
          expect(await find(core(namespace, 'configmaps', 'orphan'))).toBeUndefined(),
        );
      },
      caseTimeout(1),
    );

    it(
      'a ConfigMap a Deployment owns goes with the Deployment, and an unowned one stays',
      async () => {
        const owner = await client.create<Obj>(apps(namespace, 'deployments'), aDeployment('holder', 0));
        await client.create(core(namespace, 'configmaps'), {
          metadata: {
            name: 'held',
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'Deployment', name: 'holder', uid: owner.metadata.uid },
            ],
          },
          data: { a: '1' },
        });
        await client.create(core(namespace, 'configmaps'), { metadata: { name: 'free' }, data: { a: '1' } });
        await client.delete(apps(namespace, 'deployments', 'holder'));
        await converged(async () =>
          expect(await find(core(namespace, 'configmaps', 'held'))).toBeUndefined(),
        );
        expect(await find(core(namespace, 'configmaps', 'free'))).toBeDefined();
      },
      caseTimeout(1),
    );
  });

  describe('Namespace', () => {
    it(
      'deleting a Namespace removes its objects, then the Namespace',
      async () => {
        const doomed = `${namespace}-doomed`;
        await client.create(core('', 'namespaces'), { metadata: { name: doomed } });
        await client.create(core(doomed, 'configmaps'), { metadata: { name: 'settings' }, data: { a: '1' } });
        await client.create(apps(doomed, 'deployments'), aDeployment('app', 1));
        // Objects the controllers made count too: wait for the Deployment's pod.
        await converged(async () => expect(await list(core(doomed, 'pods'))).toHaveLength(1));

        const deleting = await client.delete<Obj>(core('', 'namespaces', doomed));
        expect(deleting.metadata.deletionTimestamp).toBeDefined();
        await converged(async () => expect(await find(core('', 'namespaces', doomed))).toBeUndefined());
        // The namespace controller finalizes the Namespace only once it is empty.
        for (const ref of [
          core(doomed, 'configmaps'),
          core(doomed, 'pods'),
          apps(doomed, 'deployments'),
          apps(doomed, 'replicasets'),
        ]) {
          expect({ [ref.plural]: await list(ref) }).toEqual({ [ref.plural]: [] });
        }
      },
      caseTimeout(2),
    );
  });
});
