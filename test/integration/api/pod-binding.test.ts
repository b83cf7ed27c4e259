import { aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';

const PODS = '/api/v1/namespaces/default/pods';
const bindingOf = (pod: string, node: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name: pod },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
  ...extra,
});

describe('The pods/binding subresource, as kube-apiserver serves it', () => {
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
  const bind = (pod: string, body: unknown, query: Record<string, string> = {}) =>
    api.call('POST', `${PODS}/${pod}/binding`, { body, query });

  it('binds an unbound pod to the node, marks it PodScheduled and answers 201 with a Success Status', async () => {
    const created = await createPod('bind-me');
    expect(created.status).toEqual({ phase: 'Pending' });
    const answer = await bind(
      'bind-me',
      bindingOf('bind-me', 'node-a', {
        metadata: { name: 'bind-me', annotations: { 'example.com/by': 'my-scheduler' } },
      }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    const pod = (await api.call('GET', `${PODS}/bind-me`)).body;
    expect(pod.spec.nodeName).toBe('node-a');
    expect(pod.metadata.annotations).toEqual({ 'example.com/by': 'my-scheduler' });
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastTransitionTime: expect.stringMatching(/^\d{4}-.*Z$/) },
    ]);
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
  });

  it("turns the scheduler's PodScheduled=False Unschedulable into True, dropping its reason", async () => {
    await createPod('was-unschedulable');
    const unschedulable = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu.',
      lastTransitionTime: '2026-11-20T10:00:00Z',
    };
    const patched = await api.call('PATCH', `${PODS}/was-unschedulable/status`, {
      contentType: 'application/merge-patch+json',
      body: { status: { conditions: [unschedulable] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.status.conditions).toEqual([unschedulable]);
    expect((await bind('was-unschedulable', bindingOf('was-unschedulable', 'node-b'))).status).toBe(201);
    const [condition] = (await api.call('GET', `${PODS}/was-unschedulable`)).body.status.conditions;
    expect(condition).toEqual({
      type: 'PodScheduled',
      status: 'True',
      lastTransitionTime: expect.any(String),
    });
    expect(condition.lastTransitionTime).not.toBe(unschedulable.lastTransitionTime);
  });

  it("refuses a second bind with 409 Conflict and kube's message, leaving the first node", async () => {
    await createPod('bound-once');
    expect((await bind('bound-once', bindingOf('bound-once', 'node-a'))).status).toBe(201);
    const again = await bind('bound-once', bindingOf('bound-once', 'node-b'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on pods/binding "bound-once": pod bound-once is already assigned to node "node-a"',
      details: { name: 'bound-once', kind: 'pods/binding' },
    });
    expect((await api.call('GET', `${PODS}/bound-once`)).body.spec.nodeName).toBe('node-a');
  });

  it('refuses a pod created with a node already', async () => {
    await createPod('created-bound', { spec: { nodeName: 'node-c' } });
    const answer = await bind('created-bound', bindingOf('created-bound', 'node-a'));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('pod created-bound is already assigned to node "node-c"');
  });

  it('refuses a pod that is being deleted', async () => {
    await createPod('going', { spec: {} });
    await api.call('PATCH', `${PODS}/going`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: ['example.com/hold'] } },
    });
    expect((await api.call('DELETE', `${PODS}/going`)).status).toBe(200);
    const answer = await bind('going', bindingOf('going', 'node-a'));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toBe(
      'Operation cannot be fulfilled on pods/binding "going": pod going is being deleted, cannot be assigned to a host',
    );
    expect((await api.call('GET', `${PODS}/going`)).body.spec.nodeName).toBeUndefined();
  });

  it('refuses a pod that still has scheduling gates', async () => {
    await createPod('gated', { spec: { schedulingGates: [{ name: 'example.com/quota' }] } });
    const answer = await bind('gated', bindingOf('gated', 'node-a'));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('pod gated has non-empty .spec.schedulingGates');
  });

  it('answers 404 for a pod that does not exist', async () => {
    const answer = await bind('nobody', bindingOf('nobody', 'node-a'));
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ reason: 'NotFound', message: 'pods "nobody" not found' });
  });

  it('honours the uid and resourceVersion preconditions a Binding carries', async () => {
    const created = await createPod('pinned');
    const wrongUid = await bind(
      'pinned',
      bindingOf('pinned', 'node-a', { metadata: { name: 'pinned', uid: 'not-its-uid' } }),
    );
    expect(wrongUid.status).toBe(409);
    expect(wrongUid.body.message).toContain('Precondition failed: UID in precondition: not-its-uid');
    const stale = await bind(
      'pinned',
      bindingOf('pinned', 'node-a', { metadata: { name: 'pinned', resourceVersion: '1' } }),
    );
    expect(stale.status).toBe(409);
    const exact = await bind(
      'pinned',
      bindingOf('pinned', 'node-a', {
        metadata: {
          name: 'pinned',
          uid: created.metadata.uid,
          resourceVersion: created.metadata.resourceVersion,
        },
      }),
    );
    expect(exact.status).toBe(201);
  });

  it('drops unknown fields of a Binding with a warning, and refuses them when strict', async () => {
    await createPod('strictly');
    const body = { ...bindingOf('strictly', 'node-a'), bogus: true };
    const strict = await bind('strictly', body, { fieldValidation: 'Strict' });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "bogus"');
    const warned = await bind('strictly', body);
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"bogus\\""');
  });

  it('stores nothing on a dry run', async () => {
    await createPod('dry');
    const answer = await bind('dry', bindingOf('dry', 'node-a'), { dryRun: 'All' });
    expect(answer.status).toBe(201);
    expect((await api.call('GET', `${PODS}/dry`)).body.spec.nodeName).toBeUndefined();
  });

  it.each([
    [
      'a target that is not a Node',
      bindingOf('wrong', 'web-1', { target: { kind: 'Pod', name: 'web-1' } }),
      422,
      [
        {
          field: 'target.kind',
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: "Pod": supported values: "Node", "<empty>"',
        },
      ],
    ],
    [
      'a target without a name',
      bindingOf('wrong', '', { target: { kind: 'Node' } }),
      422,
      [{ field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' }],
    ],
    ["a name other than the pod's", bindingOf('someone-else', 'node-a'), 400, undefined],
    [
      'a kind other than Binding',
      { ...bindingOf('wrong', 'node-a'), kind: 'Pod' },
      400,
      [expect.objectContaining({ field: 'kind' })],
    ],
    ['a body that is not JSON', '{"kind": "Binding",', 400, undefined],
  ])('refuses %s (%#)', async (_case, body, code, causes) => {
    await api.call('POST', PODS, { body: aPod({ name: 'wrong' }) });
    const answer = await bind('wrong', body);
    expect(answer.status).toBe(code);
    expect(answer.body.details?.causes).toEqual(causes);
    expect((await api.call('GET', `${PODS}/wrong`)).body.spec.nodeName).toBeUndefined();
  });

  it('lets exactly one of many concurrent binds win; the others get 409', async () => {
    await createPod('contended');
    const nodes = Array.from({ length: 8 }, (_, i) => `node-${i}`);
    const answers = await Promise.all(nodes.map((node) => bind('contended', bindingOf('contended', node))));
    const winners = answers.flatMap((answer, i) => (answer.status === 201 ? [nodes[i]] : []));
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(nodes.length - 1);
    for (const loser of answers.filter((a) => a.status === 409))
      expect(loser.body.message).toContain(`is already assigned to node "${winners[0]}"`);
    expect((await api.call('GET', `${PODS}/contended`)).body.spec.nodeName).toBe(winners[0]);
  });

  it('serves only POST, and only on pods', async () => {
    await createPod('methods');
    expect((await api.call('GET', `${PODS}/methods/binding`)).status).toBe(405);
    expect(
      (await api.call('PUT', `${PODS}/methods/binding`, { body: bindingOf('methods', 'node-a') })).status,
    ).toBe(405);
    expect(
      (await api.call('POST', '/api/v1/nodes/node-a/binding', { body: bindingOf('node-a', 'x') })).status,
    ).toBe(404);
    expect(
      (await api.call('POST', '/api/v1/namespaces/default/configmaps/c/binding', { body: {} })).status,
    ).toBe(404);
  });
});
