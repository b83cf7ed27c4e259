import { startLocalControlPlane, type LocalControlPlane } from '../../lib/local/local-control-plane';
import { aDeployment, aReplicaSet } from '../support/builders';
import { eventually } from '../support/eventually';

interface ListOf<T> {
  items: T[];
}
interface PodLike {
  metadata: { name: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
}

/**
 * The local control plane's whole loop: a write through the API becomes a stream record, the
 * dispatcher wakes the ReplicaSet controller, whose writes become records in turn.
 */
describe('controllers in the local control plane', () => {
  let plane: LocalControlPlane;
  const api = (path: string, init?: RequestInit) =>
    fetch(`${plane.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });
  const pods = async () =>
    ((await (await api('/api/v1/namespaces/default/pods')).json()) as ListOf<PodLike>).items;

  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0 });
  });
  afterAll(() => plane.stop());

  it('creates the pods of a new ReplicaSet, owned by it, and records why', async () => {
    const created = await api('/apis/apps/v1/namespaces/default/replicasets', {
      method: 'POST',
      body: JSON.stringify(aReplicaSet({ name: 'cache', replicas: 3, podLabels: { app: 'cache' } })),
    });
    expect(created.status).toBe(201);
    const owned = await eventually(async () => {
      const found = await pods();
      expect(found).toHaveLength(3);
      return found;
    });
    for (const pod of owned)
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ReplicaSet', name: 'cache', controller: true }),
      ]);
    // Each pod's Event is written just after the pod: wait for them too.
    await eventually(async () => {
      const events = (await (await api('/api/v1/namespaces/default/events')).json()) as ListOf<{
        reason: string;
        source?: { component?: string };
      }>;
      expect(events.items.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
      expect(events.items[0].source?.component).toBe('replicaset-controller');
    });
  });

  it('scales down to the new replica count', async () => {
    const patched = await api('/apis/apps/v1/namespaces/default/replicasets/cache', {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 1 } }),
    });
    expect(patched.status).toBe(200);
    await eventually(async () => expect(await pods()).toHaveLength(1));
  });

  it('rolls a Deployment out through its ReplicaSets, and garbage-collects them when it is deleted', async () => {
    const replicaSets = async () =>
      (
        (await (
          await api('/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb')
        ).json()) as ListOf<PodLike>
      ).items;
    const webPods = async () =>
      (
        (await (
          await api('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')
        ).json()) as ListOf<PodLike>
      ).items;
    const created = await api('/apis/apps/v1/namespaces/default/deployments', {
      method: 'POST',
      body: JSON.stringify(aDeployment({ name: 'web', replicas: 3 })),
    });
    expect(created.status).toBe(201);
    const [first] = await eventually(async () => {
      const found = await replicaSets();
      expect(found).toHaveLength(1);
      expect(await webPods()).toHaveLength(3);
      return found;
    });
    expect(first.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'web', controller: true }),
    ]);

    await api('/apis/apps/v1/namespaces/default/deployments/web', {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({
        spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } },
      }),
    });
    await eventually(async () => expect((await replicaSets()).length).toBeGreaterThanOrEqual(2));

    expect((await api('/apis/apps/v1/namespaces/default/deployments/web', { method: 'DELETE' })).status).toBe(
      200,
    );
    await eventually(async () => {
      expect(await replicaSets()).toHaveLength(0);
      expect(await webPods()).toHaveLength(0);
    });
  });
});
