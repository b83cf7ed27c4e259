import type { KubeObject } from '../../../lib/kinds/meta';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { apiHarness } from '../../support/api-harness';
import { aPod } from '../../support/builders';
import { openWatch } from '../../support/watch-stream';

const PODS = '/api/v1/namespaces/default/pods';

/**
 * DELETE on a pod as kube-apiserver answers it (podStrategy.CheckGracefulDelete, rest.BeforeDelete):
 * a pod a node runs is only marked and left to its agent, which removes it with grace 0.
 */
describe('Graceful deletion of pods through the API', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  const createPod = async (name: string, spec: Record<string, unknown> = {}, labels = {}) => {
    const created = await api.call('POST', PODS, { body: aPod({ name, spec, labels }) });
    expect(created.status).toBe(201);
    return created.body;
  };
  const remove = (name: string, options: { body?: unknown; query?: Record<string, string> } = {}) =>
    api.call('DELETE', `${PODS}/${name}`, options);
  const read = (name: string) => api.call('GET', `${PODS}/${name}`);
  const secondsBetween = (later: string, earlier: number) => (Date.parse(later) - earlier) / 1000;

  it('marks a pod on a node with its terminationGracePeriodSeconds and keeps it, answering 200 with it', async () => {
    await createPod('bound', { nodeName: 'node-a', terminationGracePeriodSeconds: 45 });
    const before = Date.now();
    const answer = await remove('bound');
    expect(answer.status).toBe(200);
    expect(answer.body.metadata.deletionGracePeriodSeconds).toBe(45);
    expect(secondsBetween(answer.body.metadata.deletionTimestamp, before)).toBeGreaterThanOrEqual(44);
    expect(secondsBetween(answer.body.metadata.deletionTimestamp, before)).toBeLessThanOrEqual(46);
    const stored = await read('bound');
    expect(stored.status).toBe(200);
    expect(stored.body.metadata.deletionTimestamp).toBe(answer.body.metadata.deletionTimestamp);
  });

  it('defaults the grace to 30 seconds and takes gracePeriodSeconds from the body or the query', async () => {
    await createPod('default-grace', { nodeName: 'node-a' });
    expect((await remove('default-grace')).body.metadata.deletionGracePeriodSeconds).toBe(30);
    await createPod('from-body', { nodeName: 'node-a' });
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 12 };
    expect((await remove('from-body', { body })).body.metadata.deletionGracePeriodSeconds).toBe(12);
    await createPod('from-query', { nodeName: 'node-a' });
    const query = { gracePeriodSeconds: '7' };
    expect((await remove('from-query', { query })).body.metadata.deletionGracePeriodSeconds).toBe(7);
  });

  it('refuses a gracePeriodSeconds that is not an integer with 400', async () => {
    await createPod('bad-grace', { nodeName: 'node-a' });
    const answer = await remove('bad-grace', { query: { gracePeriodSeconds: 'soon' } });
    expect(answer.status).toBe(400);
    expect((await read('bad-grace')).body.metadata.deletionTimestamp).toBeUndefined();
  });

  it('lets a second DELETE only shorten the grace, moving deletionTimestamp by the difference', async () => {
    await createPod('shorten', { nodeName: 'node-a' });
    const first = (await remove('shorten', { query: { gracePeriodSeconds: '60' } })).body;
    const longer = await remove('shorten', { query: { gracePeriodSeconds: '120' } });
    expect(longer.status).toBe(200);
    expect(longer.body.metadata.deletionGracePeriodSeconds).toBe(60);
    expect(longer.body.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const unsaid = await remove('shorten');
    expect(unsaid.body.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const shorter = (await remove('shorten', { query: { gracePeriodSeconds: '20' } })).body;
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(
      Date.parse(first.metadata.deletionTimestamp) - Date.parse(shorter.metadata.deletionTimestamp),
    ).toBe(40_000);
  });

  it('removes the pod when deleted with grace 0 (the agent, or kubectl --force --grace-period=0)', async () => {
    await createPod('forced', { nodeName: 'node-a' });
    await remove('forced');
    const forced = await remove('forced', { body: { gracePeriodSeconds: 0 } });
    expect(forced.status).toBe(200);
    expect((await read('forced')).status).toBe(404);
    await createPod('forced-at-once', { nodeName: 'node-a' });
    expect((await remove('forced-at-once', { query: { gracePeriodSeconds: '0' } })).status).toBe(200);
    expect((await read('forced-at-once')).status).toBe(404);
  });

  it('still honours finalizers when the grace is 0: the pod stays marked until they are removed', async () => {
    const created = await api.call('POST', PODS, {
      body: {
        ...aPod({ name: 'finalized', spec: { nodeName: 'node-a' } }),
        metadata: { name: 'finalized', finalizers: ['example.com/hold'] },
      },
    });
    expect(created.status).toBe(201);
    await remove('finalized', { query: { gracePeriodSeconds: '0' } });
    const held = (await read('finalized')).body;
    expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
    const released = await api.call('PATCH', `${PODS}/finalized`, {
      body: { metadata: { finalizers: null } },
      contentType: 'application/merge-patch+json',
    });
    expect(released.status).toBe(200);
    expect((await read('finalized')).status).toBe(404);
  });

  it('keeps a pod marked for deletion through status updates while its grace runs', async () => {
    await createPod('updated', { nodeName: 'node-a' });
    await remove('updated');
    const current = (await read('updated')).body;
    const status = { ...current, status: { ...current.status, phase: 'Running' } };
    expect((await api.call('PUT', `${PODS}/updated/status`, { body: status })).status).toBe(200);
    expect((await read('updated')).body.status.phase).toBe('Running');
  });

  it('removes at once a pod no node runs, and a finished one, whatever grace is asked', async () => {
    await createPod('unbound');
    expect((await remove('unbound', { query: { gracePeriodSeconds: '30' } })).status).toBe(200);
    expect((await read('unbound')).status).toBe(404);
    const finished = await createPod('finished', { nodeName: 'node-a' });
    const succeeded = { ...finished, status: { phase: 'Succeeded' } };
    expect((await api.call('PUT', `${PODS}/finished/status`, { body: succeeded })).status).toBe(200);
    await remove('finished');
    expect((await read('finished')).status).toBe(404);
  });

  it('deletes a collection gracefully too', async () => {
    await createPod('many-a', { nodeName: 'node-a' }, { app: 'many' });
    await createPod('many-b', {}, { app: 'many' });
    const answer = await api.call('DELETE', PODS, { query: { labelSelector: 'app=many' } });
    expect(answer.status).toBe(200);
    const left = (await api.call('GET', PODS, { query: { labelSelector: 'app=many' } })).body.items;
    expect(left.map((pod: KubeObject) => pod.metadata.name)).toEqual(['many-a']);
    expect(left[0].metadata.deletionGracePeriodSeconds).toBe(30);
  });
});

describe('A watch on a pod deleted gracefully', () => {
  let plane: LocalControlPlane;
  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0, controllers: [], bookmarkSeconds: 60 });
  });
  afterAll(() => plane.stop());

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${plane.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as KubeObject;
  };

  it('sees MODIFIED with deletionTimestamp, then DELETED once the agent deletes it with grace 0', async () => {
    const created = await send('POST', PODS, aPod({ name: 'watched', spec: { nodeName: 'node-a' } }));
    const since = created.metadata.resourceVersion ?? '';
    const watch = await openWatch(`${plane.url}${PODS}?watch=true&resourceVersion=${since}`);
    await send('DELETE', `${PODS}/watched`);
    const marked = await watch.next();
    expect(marked?.type).toBe('MODIFIED');
    expect(marked?.object.metadata.deletionTimestamp).toBeDefined();
    expect(marked?.object.metadata.deletionGracePeriodSeconds).toBe(30);
    await send('DELETE', `${PODS}/watched?gracePeriodSeconds=0`);
    const deleted = await watch.next();
    expect(deleted?.type).toBe('DELETED');
    expect(deleted?.object.metadata.name).toBe('watched');
    watch.close();
  });
});
