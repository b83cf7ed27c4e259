import { apiHarness } from '../../support/api-harness';
import { aPod } from '../../support/builders';

const ACCOUNTS = '/api/v1/namespaces/default/serviceaccounts';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

describe('ServiceAccounts through the API, as kube-apiserver serves them', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it('stores secrets, imagePullSecrets and automountServiceAccountToken, and lists as NAME SECRETS AGE', async () => {
    const created = await api.call('POST', ACCOUNTS, {
      body: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'builder' },
        secrets: [{ name: 'builder-token' }],
        imagePullSecrets: [{ name: 'registry' }],
        automountServiceAccountToken: false,
      },
      query: { fieldValidation: 'Strict' },
    });
    expect(created.status).toBe(201);
    const table = await api.call('GET', `${ACCOUNTS}/builder`, { accept: TABLE });
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Secrets',
      'Age',
    ]);
    expect(table.body.rows[0].cells.slice(0, 2)).toEqual(['builder', 1]);
    expect((await api.call('GET', `${ACCOUNTS}/builder`)).body.imagePullSecrets).toEqual([
      { name: 'registry' },
    ]);
  });

  it('answers a DELETE with the deleted ServiceAccount, as kube does', async () => {
    const deleted = await api.call('DELETE', `${ACCOUNTS}/builder`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'builder' } });
    expect((await api.call('GET', `${ACCOUNTS}/builder`)).status).toBe(404);
  });

  it("gives a new pod the namespace's default ServiceAccount, or the one its deprecated field names, as kube's admission does", async () => {
    const PODS = '/api/v1/namespaces/default/pods';
    const plain = await api.call('POST', PODS, { body: aPod({ name: 'plain' }) });
    expect(plain.status).toBe(201);
    expect(plain.body.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default' });
    const legacy = aPod({ name: 'legacy' });
    const named = await api.call('POST', PODS, {
      body: { ...legacy, spec: { ...legacy.spec, serviceAccount: 'builder' } },
    });
    expect(named.body.spec).toMatchObject({ serviceAccountName: 'builder', serviceAccount: 'builder' });

    const selected = await api.call('GET', PODS, {
      query: { fieldSelector: 'spec.serviceAccountName=default' },
    });
    expect(selected.body.items.map((pod: { metadata: { name: string } }) => pod.metadata.name)).toEqual([
      'plain',
    ]);
  });
});
