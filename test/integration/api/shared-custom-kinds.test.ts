import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { createApiHandler } from '../../../lib/api/api-handler';
import { StoredCustomKinds } from '../../../lib/crd/stored-custom-kinds';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import { PROJECT_ROOT } from '../../support/engines/project-root';

/**
 * Two API instances over one table, as two Lambda instances on AWS: a CRD written through one is
 * served by the other from its next discovery request (or request naming the new resource), not
 * only once its 10 s re-read comes due; such re-reads happen at most once a second.
 */
describe('CRDs across API instances sharing a store', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('shared-crds');
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const now = () => new Date(clock);
  const instance = (store: DynamoObjectStore) =>
    createApiHandler({
      store,
      logError: () => undefined,
      customKinds: new StoredCustomKinds(store, { maxAgeMs: 10_000, now }),
    });
  let a: ReturnType<typeof createApiHandler>;
  let b: ReturnType<typeof createApiHandler>;
  const call = async (api: typeof a, method: string, requestPath: string, body?: unknown) => {
    const response = await api({
      method,
      path: requestPath,
      query: {},
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.statusCode,
      body: JSON.parse(response.body) as { resources?: { name: string }[] },
    };
  };

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    a = instance(store);
    b = instance(new DynamoObjectStore({ client, tableName }));
  });
  afterAll(() => client.destroy());

  test('the other instance serves a new CRD from its next discovery request, and re-reads at most once a second', async () => {
    expect((await call(b, 'GET', '/apis')).status).toBe(200); // b has read the (no) CRDs
    const crd = parse(
      readFileSync(path.join(PROJECT_ROOT, 'examples/customresourcedefinition.yaml'), 'utf8'),
    ) as object;
    expect(
      (await call(a, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status,
    ).toBe(201);

    // Within a second of b's last read: not yet (the floor).
    expect((await call(b, 'GET', '/apis/web.skiff.dev/v1alpha1')).status).toBe(404);
    clock += 1_000;
    const discovery = await call(b, 'GET', '/apis/web.skiff.dev/v1alpha1');
    expect(discovery.status).toBe(200);
    expect(discovery.body.resources?.map((r) => r.name)).toContain('staticsites');
  });

  test('a request naming a resource it does not serve yet makes it look again', async () => {
    clock += 1_000;
    expect((await call(b, 'GET', '/apis')).status).toBe(200); // b's last read
    const crd = parse(
      readFileSync(path.join(PROJECT_ROOT, 'examples/customresourcedefinition.yaml'), 'utf8'),
    ) as {
      metadata: { name: string };
      spec: { group: string };
    };
    const other = {
      ...crd,
      metadata: { name: 'staticsites.other.skiff.dev' },
      spec: { ...crd.spec, group: 'other.skiff.dev' },
    };
    expect(
      (await call(a, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', other)).status,
    ).toBe(201);
    clock += 1_000;
    expect((await call(b, 'GET', '/apis/other.skiff.dev/v1alpha1/staticsites')).status).toBe(200);
  });
});
