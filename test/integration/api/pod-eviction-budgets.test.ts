import {
  disruptionController,
  EVERY_BUDGET,
} from '../../../lib/controllers/disruption/disruption-controller';
import { PodDisruptionBudgetKind } from '../../../lib/kinds/pod-disruption-budget';
import { aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';

const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const eviction = (pod: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name: pod },
  ...extra,
});

describe('The pods/eviction subresource with PodDisruptionBudgets, as kube-apiserver serves it', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  /** A running pod labelled `app`, ready unless told otherwise, as the agent would report it. */
  async function runningPod(name: string, app: string, ready = true) {
    await api.call('POST', PODS, { body: aPod({ name, labels: { app } }) });
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    };
    const pod = (await api.call('GET', `${PODS}/${name}`)).body;
    expect((await api.call('PUT', `${PODS}/${name}/status`, { body: { ...pod, status } })).status).toBe(200);
  }
  async function budget(name: string, app: string, spec: Record<string, unknown>) {
    const created = await api.call('POST', PDBS, {
      body: { metadata: { name }, spec: { selector: { matchLabels: { app } }, ...spec } },
    });
    expect(created.status).toBe(201);
    await sync();
  }
  /** The disruption controller's pass over the namespace, as the stream would trigger it. */
  const sync = () =>
    disruptionController.reconcile(
      { kind: PodDisruptionBudgetKind, namespace: 'default', name: EVERY_BUDGET },
      { store: api.store, events: { record: async () => undefined }, now: () => new Date() },
    );
  const evict = (pod: string, body = eviction(pod), query: Record<string, string> = {}) =>
    api.call('POST', `${PODS}/${pod}/eviction`, { body, query });
  const budgetStatus = async (name: string) => (await api.call('GET', `${PDBS}/${name}`)).body.status;
  const podCode = async (name: string) => (await api.call('GET', `${PODS}/${name}`)).status;

  it('evicts while the budget allows, spending a disruption, then answers 429 with the budget as cause', async () => {
    for (const name of ['web-a', 'web-b', 'web-c']) await runningPod(name, 'web');
    await budget('web', 'web', { minAvailable: 2 });
    expect(await budgetStatus('web')).toMatchObject({ disruptionsAllowed: 1, currentHealthy: 3 });

    expect((await evict('web-a')).status).toBe(201);
    expect(await podCode('web-a')).toBe(404);
    const spent = await budgetStatus('web');
    expect(spent.disruptionsAllowed).toBe(0);
    expect(Object.keys(spent.disruptedPods)).toEqual(['web-a']);
    expect(spent.conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }),
    );

    // The eviction spends from the counts as they were; the controller then counts web-a gone.
    expect((await evict('web-b')).body.details.causes[0].message).toBe(
      'The disruption budget web needs 2 healthy pods and has 3 currently',
    );
    await sync();
    const refused = await evict('web-b');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web needs 2 healthy pods and has 2 currently',
          },
        ],
      },
      code: 429,
    });
    expect(await podCode('web-b')).toBe(200);
  });

  it('answers 429 with a retry delay while the controller has not seen the budget’s latest spec', async () => {
    await runningPod('late-a', 'late');
    await budget('late', 'late', { minAvailable: 0 });
    await api.call('PATCH', `${PDBS}/late`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { minAvailable: 1 } },
    });
    const refused = await evict('late-a');
    expect(refused.status).toBe(429);
    expect(refused.body.details).toEqual({
      causes: [
        {
          reason: 'DisruptionBudget',
          message: 'The disruption budget late is still being processed by the server.',
        },
      ],
      retryAfterSeconds: 10,
    });
  });

  it('answers 500 for a pod two budgets cover, as kube does', async () => {
    await runningPod('twice-a', 'twice');
    await budget('twice-1', 'twice', { maxUnavailable: 1 });
    await budget('twice-2', 'twice', { minAvailable: 0 });
    const answer = await evict('twice-a');
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({
      reason: 'InternalError',
      message:
        'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      details: {
        causes: [
          {
            message:
              'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
          },
        ],
      },
    });
  });

  it('evicts an unready pod without spending while the budget is healthy, or always with AlwaysAllow', async () => {
    for (const name of ['sick-a', 'sick-b']) await runningPod(name, 'sick');
    await runningPod('sick-c', 'sick', false);
    await budget('sick', 'sick', { minAvailable: 2 });
    expect(await budgetStatus('sick')).toMatchObject({
      disruptionsAllowed: 0,
      currentHealthy: 2,
      desiredHealthy: 2,
    });
    expect((await evict('sick-c')).status).toBe(201);
    expect((await budgetStatus('sick')).disruptedPods).toBeUndefined();

    await runningPod('frail-a', 'frail', false);
    await budget('frail', 'frail', { minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect((await evict('frail-a')).status).toBe(201);
  });

  it('ignores budgets for a pending pod, and spends nothing on a dry run', async () => {
    await api.call('POST', PODS, { body: aPod({ name: 'web-pending', labels: { app: 'web' } }) });
    expect((await evict('web-pending')).status).toBe(201);
    expect(await podCode('web-pending')).toBe(404);

    await runningPod('dry-a', 'dry');
    await runningPod('dry-b', 'dry');
    await budget('dry', 'dry', { minAvailable: 1 });
    const before = await budgetStatus('dry');
    expect(before.disruptionsAllowed).toBe(1);
    expect((await evict('dry-a', eviction('dry-a'), { dryRun: 'All' })).status).toBe(201);
    expect(await budgetStatus('dry')).toEqual(before);
    expect(await podCode('dry-a')).toBe(200);
  });

  it('marks the pod with DisruptionTarget before deleting it, as kube does', async () => {
    await runningPod('kept-a', 'kept');
    await api.call('PATCH', `${PODS}/kept-a`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: ['example.com/hold'] } },
    });
    expect((await evict('kept-a')).status).toBe(201);
    const pod = (await api.call('GET', `${PODS}/kept-a`)).body;
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    expect(pod.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'EvictionByEvictionAPI',
        message: 'Eviction API: evicting',
      }),
    );
  });
});
