import { aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';

const PODS = '/api/v1/namespaces/default/pods';
const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
const evictionOf = (pod: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name: pod, namespace: 'default' },
  ...extra,
});

describe('The pods/eviction subresource, as kube-apiserver serves it without disruption budgets', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  const createPod = async (name: string, options: Parameters<typeof aPod>[0] = {}) => {
    const created = await api.call('POST', PODS, { body: aPod({ name, ...options }) });
    expect(created.status).toBe(201);
    return created.body;
  };
  const evict = (pod: string, body: unknown, query: Record<string, string> = {}) =>
    api.call('POST', `${PODS}/${pod}/eviction`, { body, query });
  const podStatus = async (name: string) => (await api.call('GET', `${PODS}/${name}`)).status;

  it('deletes the pod and answers 201 with a Success Status', async () => {
    await createPod('evict-me');
    const answer = await evict('evict-me', evictionOf('evict-me'));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual(SUCCESS);
    expect(await podStatus('evict-me')).toBe(404);
  });

  it("deletes a pod on a node gracefully, with the deleteOptions' grace when given", async () => {
    await createPod('on-node', { spec: { nodeName: 'node-a' } });
    expect((await evict('on-node', evictionOf('on-node'))).status).toBe(201);
    const marked = (await api.call('GET', `${PODS}/on-node`)).body;
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    const shorter = evictionOf('on-node', { deleteOptions: { gracePeriodSeconds: 5 } });
    expect((await evict('on-node', shorter)).status).toBe(201);
    expect((await api.call('GET', `${PODS}/on-node`)).body.metadata.deletionGracePeriodSeconds).toBe(5);
    const now = evictionOf('on-node', { deleteOptions: { gracePeriodSeconds: 0 } });
    expect((await evict('on-node', now)).status).toBe(201);
    expect(await podStatus('on-node')).toBe(404);
  });

  it('takes a policy/v1beta1 Eviction, and one without apiVersion and kind', async () => {
    await createPod('old-client');
    expect(
      (await evict('old-client', evictionOf('old-client', { apiVersion: 'policy/v1beta1' }))).status,
    ).toBe(201);
    expect(await podStatus('old-client')).toBe(404);
    await createPod('untyped');
    expect((await evict('untyped', { metadata: { name: 'untyped' } })).status).toBe(201);
    expect(await podStatus('untyped')).toBe(404);
  });

  it('deletes with the deleteOptions it carries: matching preconditions and a grace period', async () => {
    const created = await createPod('pinned');
    const deleteOptions = {
      gracePeriodSeconds: 0,
      preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion },
    };
    expect((await evict('pinned', evictionOf('pinned', { deleteOptions }))).status).toBe(201);
    expect(await podStatus('pinned')).toBe(404);
  });

  it('answers success for a pod already being deleted, which stays until its finalizers go', async () => {
    await createPod('going');
    await api.call('PATCH', `${PODS}/going`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: ['example.com/hold'] } },
    });
    expect((await api.call('DELETE', `${PODS}/going`)).status).toBe(200);
    const answer = await evict('going', evictionOf('going'));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual(SUCCESS);
    const pod = (await api.call('GET', `${PODS}/going`)).body;
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    expect(pod.metadata.finalizers).toEqual(['example.com/hold']);
  });

  it.each([
    {
      case: 'a pod that does not exist',
      pod: 'nobody',
      body: evictionOf('nobody'),
      code: 404,
      reason: 'NotFound',
      message: 'pods "nobody" not found',
    },
    {
      case: "a name other than the pod's",
      pod: 'victim',
      body: evictionOf('someone-else'),
      code: 400,
      reason: 'BadRequest',
      message: 'name in URL does not match name in Eviction object',
    },
    {
      case: 'a uid precondition the pod does not meet',
      pod: 'victim',
      body: evictionOf('victim', { deleteOptions: { preconditions: { uid: 'not-its-uid' } } }),
      code: 409,
      reason: 'Conflict',
      message: expect.stringContaining('Precondition failed: UID in precondition: not-its-uid'),
    },
    {
      case: 'a stale resourceVersion precondition',
      pod: 'victim',
      body: evictionOf('victim', { deleteOptions: { preconditions: { resourceVersion: '1' } } }),
      code: 409,
      reason: 'Conflict',
      message: expect.stringContaining('the object has been modified'),
    },
    {
      case: 'a kind other than Eviction',
      pod: 'victim',
      body: evictionOf('victim', { kind: 'Binding' }),
      code: 400,
      reason: 'BadRequest',
      message: 'the kind in the data (Binding) does not match the expected kind (Eviction)',
    },
    {
      case: 'an apiVersion other than policy/v1 or v1beta1',
      pod: 'victim',
      body: evictionOf('victim', { apiVersion: 'v1' }),
      code: 400,
      reason: 'BadRequest',
      message: 'the API version in the data (v1) does not match the expected API version (policy/v1)',
    },
    {
      case: 'another namespace in the Eviction',
      pod: 'victim',
      body: evictionOf('victim', { metadata: { name: 'victim', namespace: 'other' } }),
      code: 400,
      reason: 'BadRequest',
      message: 'the namespace of the provided object does not match the namespace sent on the request',
    },
    {
      case: 'a negative grace period',
      pod: 'victim',
      body: evictionOf('victim', { deleteOptions: { gracePeriodSeconds: -1 } }),
      code: 422,
      reason: 'Invalid',
      message: expect.stringContaining('deleteOptions.gracePeriodSeconds'),
    },
  ])('refuses $case with $code and leaves the pod', async ({ pod, body, code, reason, message }) => {
    if (pod === 'victim' && (await podStatus('victim')) === 404) await createPod('victim');
    const answer = await evict(pod, body);
    expect(answer.status).toBe(code);
    expect(answer.body).toMatchObject({ kind: 'Status', status: 'Failure', code, reason, message });
    if (pod === 'victim') expect(await podStatus('victim')).toBe(200);
  });

  it('deletes nothing on a dry run, from the query or the deleteOptions, yet checks the pod', async () => {
    await createPod('dry');
    expect((await evict('dry', evictionOf('dry'), { dryRun: 'All' })).status).toBe(201);
    const inBody = evictionOf('dry', { deleteOptions: { dryRun: ['All'] } });
    expect((await evict('dry', inBody)).status).toBe(201);
    expect((await evict('dry', inBody, { dryRun: 'All' })).status).toBe(201);
    expect(await podStatus('dry')).toBe(200);
    const wrongUid = evictionOf('dry', { deleteOptions: { preconditions: { uid: 'not-its-uid' } } });
    expect((await evict('dry', wrongUid, { dryRun: 'All' })).status).toBe(409);
    expect((await evict('ghost', evictionOf('ghost'), { dryRun: 'All' })).status).toBe(404);
    const unsupported = evictionOf('dry', { deleteOptions: { dryRun: ['Some'] } });
    expect((await evict('dry', unsupported)).status).toBe(400);
    expect(await podStatus('dry')).toBe(200);
  });

  it('serves only POST, and only on namespaced pods', async () => {
    await createPod('methods');
    expect((await api.call('GET', `${PODS}/methods/eviction`)).status).toBe(405);
    expect((await api.call('DELETE', `${PODS}/methods/eviction`)).status).toBe(405);
    expect(
      (await api.call('POST', '/api/v1/namespaces/default/configmaps/c/eviction', { body: {} })).status,
    ).toBe(404);
    expect(await podStatus('methods')).toBe(200);
  });

  it('is listed in discovery as pods/eviction, a policy/v1 Eviction taking create, as kube lists it', async () => {
    const resources = (await api.call('GET', '/api/v1')).body.resources;
    expect(resources).toContainEqual({
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
  });

  it('is described in OpenAPI with the Eviction it takes', async () => {
    const core = (await api.call('GET', '/openapi/v3/api/v1')).body;
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post).toMatchObject({
      operationId: 'createPodEviction',
      'x-kubernetes-group-version-kind': { group: 'policy', version: 'v1', kind: 'Eviction' },
    });
    expect(core.components.schemas['io.k8s.api.policy.v1.Eviction'].properties.deleteOptions).toBeDefined();
  });
});
