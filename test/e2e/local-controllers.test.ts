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

  it('empties a deleted namespace, refusing new objects in it, then removes it', async () => {
    const shop = '/api/v1/namespaces/shop';
    expect(
      (
        await api('/api/v1/namespaces', {
          method: 'POST',
          body: JSON.stringify({ metadata: { name: 'shop' } }),
        })
      ).status,
    ).toBe(201);
    await api('/apis/apps/v1/namespaces/shop/deployments', {
      method: 'POST',
      body: JSON.stringify(aDeployment({ name: 'cart', namespace: 'shop', replicas: 2 })),
    });
    await api(`${shop}/configmaps`, {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'settings' }, data: { a: '1' } }),
    });
    await eventually(async () => {
      const pods = (await (await api(`${shop}/pods`)).json()) as ListOf<PodLike>;
      expect(pods.items).toHaveLength(2);
    });

    const deleted = (await (await api(shop, { method: 'DELETE' })).json()) as { status: { phase: string } };
    expect(deleted.status.phase).toBe('Terminating');
    const refused = await api(`${shop}/configmaps`, {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'late' } }),
    });
    expect([403, 404]).toContain(refused.status);

    await eventually(async () => expect((await api(shop)).status).toBe(404));
    for (const path of [
      `${shop}/pods`,
      `${shop}/configmaps`,
      '/apis/apps/v1/namespaces/shop/deployments',
      '/apis/apps/v1/namespaces/shop/replicasets',
    ]) {
      const list = (await (await api(path)).json()) as ListOf<unknown>;
      expect(list.items).toEqual([]);
    }
  });
});
