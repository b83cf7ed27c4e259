import { aDeployment, aPod } from '../../support/builders';
import { apiHarness, type Answer } from '../../support/api-harness';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';

function causeFields(answer: Answer): string[] {
  return (answer.body.details?.causes ?? []).map((c: { field: string }) => c.field);
}

describe('API errors are Kubernetes Status objects', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it('answers a malformed body with 400 BadRequest', async () => {
    const answer = await api.call('POST', DEPLOYMENTS, { body: '{"apiVersion": "apps/v1", ' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
  });

  it("answers a kind that does not match the path with kube's 400 and no causes", async () => {
    const answer = await api.call('POST', DEPLOYMENTS, { body: aPod() });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Pod in version "v1" cannot be handled as a Deployment: converting (v1.Pod) to (apps.Deployment): unknown conversion',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('answers an invalid name with 422 Invalid naming metadata.name', async () => {
    const answer = await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'Not_A_Name' }) });
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('Invalid');
    expect(causeFields(answer)).toEqual(['metadata.name']);
  });

  it('answers an invalid label with 422 naming metadata.labels', async () => {
    const answer = await api.call('POST', DEPLOYMENTS, {
      body: aDeployment({ labels: { 'bad key!': 'x' } }),
    });
    expect(answer.status).toBe(422);
    expect(causeFields(answer)[0]).toMatch(/^metadata\.labels/);
  });

  it('answers an invalid quantity with 422 naming the resource field', async () => {
    const answer = await api.call('POST', PODS, { body: aPod({ requests: { cpu: '1.2.3' } }) });
    expect(answer.status).toBe(422);
    expect(causeFields(answer)[0]).toMatch(/^spec\.containers\[0\]\.resources\.requests/);
  });

  it('drops unknown fields with a Warning header by default, and refuses them when strict', async () => {
    const manifest = { ...aDeployment({ name: 'warned' }), bogus: 1 };
    const warned = await api.call('POST', DEPLOYMENTS, { body: manifest });
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"bogus\\""');
    expect(warned.body.bogus).toBeUndefined();
    const strict = await api.call('POST', DEPLOYMENTS, {
      body: { ...manifest, metadata: { name: 'strict' } },
      query: { fieldValidation: 'Strict' },
    });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "bogus"');
    expect((await api.call('GET', `${DEPLOYMENTS}/strict`)).status).toBe(404);
  });

  it('answers 404 NotFound, 409 AlreadyExists and 409 Conflict', async () => {
    expect((await api.call('GET', `${DEPLOYMENTS}/missing`)).body).toMatchObject({
      reason: 'NotFound',
      code: 404,
    });
    await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'once' }) });
    const again = await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'once' }) });
    expect(again.body).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
      details: { name: 'once', group: 'apps' },
    });

    const stored = (await api.call('GET', `${DEPLOYMENTS}/once`)).body;
    await api.call('PUT', `${DEPLOYMENTS}/once`, {
      body: { ...stored, spec: { ...stored.spec, replicas: 2 } },
    });
    const after = (await api.call('GET', `${DEPLOYMENTS}/once`)).body;
    const stale = await api.call('PUT', `${DEPLOYMENTS}/once`, {
      body: { ...stored, spec: { ...stored.spec, replicas: 7 } },
    });
    expect(stale.body).toMatchObject({ reason: 'Conflict', code: 409 });
    expect((await api.call('GET', `${DEPLOYMENTS}/once`)).body).toEqual(after);
  });

  it("answers an object over etcd's 1.5 MiB with 413 RequestEntityTooLarge and stores nothing", async () => {
    // A ConfigMap is refused at 1 MiB by its own validation (422), as kube does; a Deployment is not.
    const big = aDeployment({ name: 'big' });
    const [container] = (big.spec as { template: { spec: { containers: { env?: unknown[] }[] } } }).template
      .spec.containers;
    container.env = [{ name: 'BLOB', value: 'x'.repeat(1600 * 1024) }];
    const refused = await api.call('POST', DEPLOYMENTS, { body: big });
    expect(refused.body).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
    expect((await api.call('GET', `${DEPLOYMENTS}/big`)).status).toBe(404);
  });

  it('answers 405 MethodNotAllowed and 415 UnsupportedMediaType', async () => {
    expect((await api.call('PATCH', DEPLOYMENTS, { body: {} })).body).toMatchObject({
      reason: 'MethodNotAllowed',
      code: 405,
    });
    await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'patched' }) });
    const xml = await api.call('PATCH', `${DEPLOYMENTS}/patched`, {
      body: '<x/>',
      contentType: 'application/xml',
    });
    expect(xml.body).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
  });

  it('refuses a namespace in the body that differs from the path', async () => {
    const answer = await api.call('POST', DEPLOYMENTS, {
      body: aDeployment({ name: 'elsewhere', namespace: 'kube-system' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    expect(answer.body.details).toBeUndefined();
  });

  it('validates a dry run without storing it, and refuses dryRun values other than All', async () => {
    const dry = await api.call('POST', DEPLOYMENTS, {
      body: aDeployment({ name: 'dry' }),
      query: { dryRun: 'All' },
    });
    expect(dry.status).toBe(201);
    expect(dry.body.metadata.uid).toBeDefined();
    const bad = await api.call('POST', DEPLOYMENTS, {
      body: aDeployment({ name: 'dry' }),
      query: { dryRun: 'Yes' },
    });
    expect(bad.body).toMatchObject({
      reason: 'Invalid',
      code: 422,
      message:
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"',
    });
    expect(causeFields(bad)).toEqual(['dryRun']);
    expect((await api.call('GET', `${DEPLOYMENTS}/dry`)).status).toBe(404);
  });

  it('answers an unknown path with 404 NotFound', async () => {
    expect((await api.call('GET', '/apis/nope/v1/things')).body).toMatchObject({
      reason: 'NotFound',
      code: 404,
    });
    expect((await api.call('GET', '/api/v1/namespaces/default/pods/x/exec')).status).toBe(404);
  });

  it('answers a bad selector with 400 BadRequest', async () => {
    const bad = await api.call('GET', PODS, { query: { labelSelector: 'app in (a' } });
    expect(bad.body).toMatchObject({ reason: 'BadRequest', code: 400 });
    const unsupported = await api.call('GET', PODS, { query: { fieldSelector: 'spec.image=x' } });
    expect(unsupported.body.message).toContain('field label not supported: spec.image');
  });
});

describe('Table output for kubectl get', () => {
  const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
    await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'tabled', replicas: 3 }) });
  });
  afterAll(() => api.close());

  it("lists a kind with kube's columns and one row per object, carrying its metadata", async () => {
    const answer = await api.call('GET', DEPLOYMENTS, { accept: TABLE_ACCEPT });
    expect(answer.body.kind).toBe('Table');
    expect(answer.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']),
    );
    const row = answer.body.rows.find((r: { cells: unknown[] }) => r.cells[0] === 'tabled');
    expect(row.cells.slice(0, 4)).toEqual(['tabled', '0/3', 0, 0]);
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'tabled' } });
  });

  it('renders one object as a one-row table, and plain JSON without the Accept header', async () => {
    const table = await api.call('GET', `${DEPLOYMENTS}/tabled`, {
      accept: TABLE_ACCEPT,
      query: { includeObject: 'Object' },
    });
    expect(table.body.rows).toHaveLength(1);
    expect(table.body.rows[0].object.spec.replicas).toBe(3);
    expect((await api.call('GET', `${DEPLOYMENTS}/tabled`)).body.kind).toBe('Deployment');
  });
});
