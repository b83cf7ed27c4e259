import { apiHarness } from '../../support/api-harness';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const APPLY = 'application/apply-patch+yaml';

const aDeploymentConfig = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
    ...spec,
  },
});

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  time?: string;
}

describe('Server-side apply through the API', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  const apply = (path: string, body: unknown, query: Record<string, string> = { fieldManager: 'ci' }) =>
    api.call('PATCH', path, { body, contentType: APPLY, query });
  const managersOf = (object: { metadata: { managedFields?: ManagedFieldsEntry[] } }) =>
    (object.metadata.managedFields ?? []).map((entry) => `${entry.manager}/${entry.operation}`);

  it('creates an absent object (201) owned by its applier, and leaves it as is on an unchanged re-apply', async () => {
    const created = await apply(`${DEPLOYMENTS}/created`, aDeploymentConfig('created', { replicas: 2 }));
    expect(created.status).toBe(201);
    expect(created.body.spec.replicas).toBe(2);
    expect(created.body.spec.strategy.type).toBe('RollingUpdate');
    const [entry] = created.body.metadata.managedFields as ManagedFieldsEntry[];
    expect(entry).toMatchObject({
      manager: 'ci',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    expect(entry.fieldsV1).toMatchObject({
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    const again = await apply(`${DEPLOYMENTS}/created`, aDeploymentConfig('created', { replicas: 2 }));
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
  });

  it('creates and updates a Service through its admission, keeping the allocated ClusterIP', async () => {
    const SERVICES = '/api/v1/namespaces/default/services';
    const service = (port: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'applied' },
      spec: { selector: { app: 'web' }, ports: [{ port }] },
    });
    const created = await apply(`${SERVICES}/applied`, service(80));
    expect(created.status).toBe(201);
    expect(created.body.spec.clusterIP).toMatch(/^10\./);
    const updated = await apply(`${SERVICES}/applied`, service(8080));
    expect(updated.status).toBe(200);
    expect(updated.body.spec.clusterIP).toBe(created.body.spec.clusterIP);
    expect(updated.body.spec.ports.map((p: { port: number }) => p.port)).toEqual([8080]);
  });

  it('accepts a YAML body', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  colour: blue\n';
    const answer = await api.call('PATCH', `${CONFIGMAPS}/from-yaml`, {
      body: yaml,
      contentType: APPLY,
      query: { fieldManager: 'ci' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.data).toEqual({ colour: 'blue' });
  });

  it('removes fields the applier omits now, which then take their defaults', async () => {
    await apply(`${DEPLOYMENTS}/shrinking`, aDeploymentConfig('shrinking', { replicas: 4 }));
    await apply(`${CONFIGMAPS}/shrinking`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shrinking', labels: { a: '1', b: '2' } },
    });
    const deployment = await apply(`${DEPLOYMENTS}/shrinking`, aDeploymentConfig('shrinking'));
    expect(deployment.body.spec.replicas).toBe(1);
    const configMap = await apply(`${CONFIGMAPS}/shrinking`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shrinking', labels: { a: '1' } },
    });
    expect(configMap.body.metadata.labels).toEqual({ a: '1' });
  });

  it("answers a change to another manager's field with kube's 409, and takes it over with force", async () => {
    await apply(`${DEPLOYMENTS}/contested`, aDeploymentConfig('contested', { replicas: 2 }));
    const conflict = await apply(
      `${DEPLOYMENTS}/contested`,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'contested' }, spec: { replicas: 5 } },
      { fieldManager: 'other' },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "ci": .spec.replicas',
      reason: 'Conflict',
      details: {
        causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "ci"', field: '.spec.replicas' }],
      },
      code: 409,
    });
    const forced = await apply(
      `${DEPLOYMENTS}/contested`,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'contested' }, spec: { replicas: 5 } },
      { fieldManager: 'other', force: 'true' },
    );
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
    const ci = (forced.body.metadata.managedFields as ManagedFieldsEntry[]).find((e) => e.manager === 'ci');
    expect((ci?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toBeUndefined();
  });

  it('lets two managers share a field they set to the same value', async () => {
    await apply(`${DEPLOYMENTS}/shared`, aDeploymentConfig('shared', { replicas: 3 }));
    const second = await apply(
      `${DEPLOYMENTS}/shared`,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shared' }, spec: { replicas: 3 } },
      { fieldManager: 'other' },
    );
    expect(second.status).toBe(200);
    expect(managersOf(second.body).sort()).toEqual(['ci/Apply', 'other/Apply']);
    // ci stops applying replicas; other still owns them, so they stay.
    const third = await apply(`${DEPLOYMENTS}/shared`, aDeploymentConfig('shared'));
    expect(third.body.spec.replicas).toBe(3);
  });

  it('records creates, updates and patches as Update entries, which an apply then conflicts with', async () => {
    const created = await api.call('POST', CONFIGMAPS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'updated' }, data: { a: '1' } },
      query: { fieldManager: 'kubectl-create' },
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
      },
    ]);
    const patched = await api.call('PATCH', `${CONFIGMAPS}/updated`, {
      body: { data: { b: '2' } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'kubectl-patch' },
    });
    expect(managersOf(patched.body)).toEqual(['kubectl-create/Update', 'kubectl-patch/Update']);
    const conflict = await apply(`${CONFIGMAPS}/updated`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'updated' },
      data: { a: '9', b: '2' },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .data.a',
    );
    const replaced = await api.call('PUT', `${CONFIGMAPS}/updated`, {
      body: { ...patched.body, data: { a: '3', b: '2' } },
      query: { fieldManager: 'kubectl-replace' },
    });
    expect(managersOf(replaced.body)).toEqual([
      'kubectl-create/Update',
      'kubectl-patch/Update',
      'kubectl-replace/Update',
    ]);
  });

  it('records concurrent PUTs without a resourceVersion each against the version it replaced', async () => {
    await api.call('POST', CONFIGMAPS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raced' }, data: { base: '0' } },
      query: { fieldManager: 'creator' },
    });
    const writers = ['w1', 'w2', 'w3', 'w4'];
    const answers = await Promise.all(
      writers.map((writer) =>
        api.call('PUT', `${CONFIGMAPS}/raced`, {
          body: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'raced' },
            data: { base: '0', [writer]: '1' },
          },
          query: { fieldManager: writer },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const final = (await api.call('GET', `${CONFIGMAPS}/raced`)).body;
    const [last] = Object.keys(final.data).filter((key) => key !== 'base');
    // Whoever wrote last owns its key; nobody owns a key the object no longer has.
    const owners = (final.metadata.managedFields as ManagedFieldsEntry[]).flatMap((entry) =>
      Object.keys((entry.fieldsV1['f:data'] as Record<string, unknown> | undefined) ?? {})
        .filter((key) => key !== '.')
        .map((key) => `${entry.manager}:${key}`),
    );
    expect(owners).toContain(`${last}:f:${last}`);
    for (const owner of owners) expect(Object.keys(final.data)).toContain(owner.split(':f:')[1]);
  });

  it('lets a client clear managedFields by writing [{}], as kube does', async () => {
    await apply(`${CONFIGMAPS}/cleared`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cleared' },
      data: { a: '1' },
    });
    const cleared = await api.call('PATCH', `${CONFIGMAPS}/cleared`, {
      body: { metadata: { managedFields: [{}] } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'janitor' },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.metadata.managedFields).toBeUndefined();
    expect(cleared.body.data).toEqual({ a: '1' });
  });

  it('records a scale as an Update of the scale subresource, which an apply of other replicas conflicts with', async () => {
    await apply(`${DEPLOYMENTS}/scaled`, aDeploymentConfig('scaled', { replicas: 2 }));
    const scaled = await api.call('PATCH', `${DEPLOYMENTS}/scaled/scale`, {
      body: { spec: { replicas: 4 } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'kubectl-scale' },
    });
    expect(scaled.status).toBe(200);
    const deployment = (await api.call('GET', `${DEPLOYMENTS}/scaled`)).body;
    const entry = (
      deployment.metadata.managedFields as (ManagedFieldsEntry & { subresource?: string })[]
    ).find((e) => e.manager === 'kubectl-scale');
    expect(entry).toMatchObject({
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const conflict = await apply(`${DEPLOYMENTS}/scaled`, aDeploymentConfig('scaled', { replicas: 2 }));
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas',
    );
  });

  it('applies to the status subresource as its own manager', async () => {
    await apply(`${DEPLOYMENTS}/with-status`, aDeploymentConfig('with-status'));
    const answer = await apply(
      `${DEPLOYMENTS}/with-status/status`,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'with-status' },
        status: { observedGeneration: 1 },
      },
      { fieldManager: 'controller' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.status.observedGeneration).toBe(1);
    const entry = (
      answer.body.metadata.managedFields as (ManagedFieldsEntry & { subresource?: string })[]
    ).find((e) => e.manager === 'controller');
    expect(entry).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:observedGeneration': {} } },
    });
  });

  it('refuses an apply without fieldManager, force on other patches, and a body of another kind', async () => {
    const noManager = await apply(
      `${CONFIGMAPS}/x`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      {},
    );
    expect(noManager.status).toBe(422);
    expect(noManager.body.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    await apply(`${CONFIGMAPS}/forced`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'forced' },
    });
    const force = await api.call('PATCH', `${CONFIGMAPS}/forced`, {
      body: { data: { a: '1' } },
      contentType: 'application/merge-patch+json',
      query: { force: 'true' },
    });
    expect(force.status).toBe(422);
    expect(force.body.message).toContain('force: Forbidden: may not be specified for non-apply patch');
    const wrongKind = await apply(`${CONFIGMAPS}/x`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'x' },
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.message).toBe('invalid object type: /v1, Kind=Secret');
  });

  it('applies to the version a configuration names only (409 when stale)', async () => {
    const created = await apply(`${CONFIGMAPS}/pinned`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pinned' },
    });
    const pinned = (resourceVersion: string, value: string) =>
      apply(`${CONFIGMAPS}/pinned`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'pinned', resourceVersion },
        data: { value },
      });
    const first = await pinned(created.body.metadata.resourceVersion, 'a');
    expect(first.status).toBe(200);
    const stale = await pinned(created.body.metadata.resourceVersion, 'b');
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect((await api.call('GET', `${CONFIGMAPS}/pinned`)).body.data).toEqual({ value: 'a' });
  });

  it('refuses a field manager kube refuses, on any write', async () => {
    const tooLong = 'm'.repeat(129);
    const created = await api.call('POST', CONFIGMAPS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'long-manager' } },
      query: { fieldManager: tooLong },
    });
    expect(created.status).toBe(422);
    expect(created.body.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
    const applied = await apply(
      `${CONFIGMAPS}/long-manager`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      {
        fieldManager: 'tab\there',
      },
    );
    expect(applied.status).toBe(422);
    expect(applied.body.message).toContain(
      'fieldManager: Invalid value: "tab\\there": invalid character U+0009',
    );
  });

  it('answers a dry run without storing', async () => {
    const answer = await apply(
      `${CONFIGMAPS}/dry`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } },
      {
        fieldManager: 'ci',
        dryRun: 'All',
      },
    );
    expect(answer.status).toBe(201);
    expect((await api.call('GET', `${CONFIGMAPS}/dry`)).status).toBe(404);
    // A dry run runs the kind's update checks, as the write would: a Job's template is immutable.
    const JOBS = '/apis/batch/v1/namespaces/default/jobs';
    const job = (image: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'dry' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } },
    });
    expect((await apply(`${JOBS}/dry`, job('busybox:1.36'))).status).toBe(201);
    const immutable = await apply(`${JOBS}/dry`, job('busybox:1.37'), { fieldManager: 'ci', dryRun: 'All' });
    expect(immutable.status).toBe(422);
    expect(immutable.body.message).toContain('spec.template');
  });
});
