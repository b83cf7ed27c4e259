import { selectorString } from '../../../lib/api/verbs/selector-string';
import { aDeployment, aReplicaSet } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const REPLICA_SETS = '/apis/apps/v1/namespaces/default/replicasets';
const MERGE = 'application/merge-patch+json';

describe('The scale subresource of Deployments and ReplicaSets, as kube-apiserver serves it', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
    await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'web', replicas: 2 }) });
    await api.call('POST', REPLICA_SETS, {
      body: {
        ...aReplicaSet({ name: 'cache', replicas: 1, podLabels: { app: 'cache', tier: 'be' } }),
        spec: {
          replicas: 1,
          selector: {
            matchLabels: { app: 'cache' },
            matchExpressions: [{ key: 'tier', operator: 'In', values: ['be', 'api'] }],
          },
          template: aReplicaSet({ podLabels: { app: 'cache', tier: 'be' } }).spec?.template,
        },
      },
    });
  });
  afterAll(() => api.close());

  it("answers a Deployment's autoscaling/v1 Scale, its selector as a string", async () => {
    const deployment = (await api.call('GET', `${DEPLOYMENTS}/web`)).body;
    const scale = await api.call('GET', `${DEPLOYMENTS}/web/scale`);
    expect(scale.status).toBe(200);
    expect(scale.body).toEqual({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: 'web',
        namespace: 'default',
        uid: deployment.metadata.uid,
        resourceVersion: deployment.metadata.resourceVersion,
        creationTimestamp: deployment.metadata.creationTimestamp,
      },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web' },
    });
    expect((await api.call('GET', `${REPLICA_SETS}/cache/scale`)).body.status.selector).toBe(
      'app=cache,tier in (api,be)',
    );
  });

  it('sets spec.replicas with a merge patch (kubectl scale) and with a PUT of the Scale', async () => {
    const patched = await api.call('PATCH', `${DEPLOYMENTS}/web/scale`, {
      contentType: MERGE,
      body: { spec: { replicas: 5 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.spec).toEqual({ replicas: 5 });
    const deployment = (await api.call('GET', `${DEPLOYMENTS}/web`)).body;
    expect(deployment.spec.replicas).toBe(5);
    expect(deployment.metadata.generation).toBe(2);
    expect(patched.body.metadata.resourceVersion).toBe(deployment.metadata.resourceVersion);

    const put = await api.call('PUT', `${REPLICA_SETS}/cache/scale`, {
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'cache' },
        spec: { replicas: 0 },
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.spec).toEqual({});
    expect((await api.call('GET', `${REPLICA_SETS}/cache`)).body.spec.replicas).toBe(0);
  });

  it('is conditional on the Scale’s resourceVersion: 409 when stale', async () => {
    const scale = (await api.call('GET', `${DEPLOYMENTS}/web/scale`)).body;
    await api.call('PATCH', `${DEPLOYMENTS}/web`, {
      contentType: MERGE,
      body: { metadata: { labels: { a: 'b' } } },
    });
    const stale = await api.call('PUT', `${DEPLOYMENTS}/web/scale`, {
      body: { ...scale, spec: { replicas: 1 } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
  });

  it("refuses negative replicas with kube's Scale message, and a Scale of another name", async () => {
    const negative = await api.call('PATCH', `${DEPLOYMENTS}/web/scale`, {
      contentType: MERGE,
      body: { spec: { replicas: -1 } },
    });
    expect(negative.status).toBe(422);
    expect(negative.body).toMatchObject({
      message:
        'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: { name: 'web', group: 'autoscaling', kind: 'Scale' },
    });
    const renamed = await api.call('PUT', `${DEPLOYMENTS}/web/scale`, {
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'other' },
        spec: { replicas: 1 },
      },
    });
    expect(renamed.status).toBe(400);
  });

  it('answers a dry run without writing, 404 for a missing object, 405 for other methods', async () => {
    const before = (await api.call('GET', `${DEPLOYMENTS}/web`)).body;
    const dry = await api.call('PATCH', `${DEPLOYMENTS}/web/scale`, {
      contentType: MERGE,
      body: { spec: { replicas: 9 } },
      query: { dryRun: 'All' },
    });
    expect(dry.body.spec).toEqual({ replicas: 9 });
    expect((await api.call('GET', `${DEPLOYMENTS}/web`)).body).toEqual(before);
    expect((await api.call('GET', `${DEPLOYMENTS}/nothing/scale`)).status).toBe(404);
    expect((await api.call('DELETE', `${DEPLOYMENTS}/web/scale`)).status).toBe(405);
    expect((await api.call('GET', '/api/v1/namespaces/default/pods/web/scale')).status).toBe(404);
  });

  it('is listed in discovery with the autoscaling/v1 Scale kind', async () => {
    const resources = (await api.call('GET', '/apis/apps/v1')).body.resources;
    expect(resources).toContainEqual({
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    expect(resources.map((r: { name: string }) => r.name)).toContain('replicasets/scale');
  });

  it('is described in OpenAPI v3 with the Scale schema and kube’s operation ids', async () => {
    const document = (await api.call('GET', '/openapi/v3/apis/apps/v1')).body;
    const path = document.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect([path.get.operationId, path.put.operationId, path.patch.operationId]).toEqual([
      'readNamespacedDeploymentScale',
      'replaceNamespacedDeploymentScale',
      'patchNamespacedDeploymentScale',
    ]);
    expect(path.get['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(Object.keys(document.components.schemas)).toContain('io.k8s.api.autoscaling.v1.Scale');
  });
});

describe('selector strings, as labels.Selector String() writes them', () => {
  it.each([
    [undefined, ''],
    [{}, ''],
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [
      {
        matchExpressions: [
          { key: 'z', operator: 'NotIn', values: ['y', 'x'] },
          { key: 'm', operator: 'Exists' },
          { key: 'n', operator: 'DoesNotExist' },
        ],
      },
      'm,!n,z notin (x,y)',
    ],
  ])('%j is %j', (selector, text) => {
    expect(selectorString(selector)).toBe(text);
  });
});
