import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createApiHandler } from '../../../lib/api/api-handler';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { CorruptItemReporter } from '../../../lib/store/corrupt-item-reporter';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { keyOf } from '../../../lib/store/object-item';
import { TableMirror } from '../../../lib/store/table-mirror';
import { TABLE } from '../../../lib/store/table-schema';
import { aConfigMap, aNamespace } from '../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

/** A secret-looking value in the damaged body: no answer, header, log or Event may show it. */
const SECRET = 'hunter2-do-not-log';

interface Answer {
  status: number;
  headers: Record<string, string>;
  // Bodies are arbitrary Kubernetes JSON; tests read the fields they assert on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

describe('The API over a kind with a corrupt stored object', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('api-corrupt');
  const logged: string[] = [];
  let namespaceCount = 0;

  beforeAll(() => createObjectTable(client, tableName));
  afterAll(() => client.destroy());

  /** The API handler over the table, as functions/api builds it (or over a fresh mirror, as npm start). */
  async function anApi(options: { mirrored?: boolean } = {}) {
    const mirror = options.mirrored ? await TableMirror.load(client, tableName) : undefined;
    const corruptItems = new CorruptItemReporter({ log: (line) => logged.push(line) });
    const store = new DynamoObjectStore({ client, tableName, mirror, corruptItems });
    const handle = createApiHandler({
      store,
      logError: (message, error) => logged.push(`${message} ${String(error)}`),
    });
    return async (method: string, path: string, query: Record<string, string> = {}, body?: unknown) => {
      const response = await handle({
        method,
        path,
        query,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        body: JSON.parse(response.body) as unknown,
      } as Answer;
    };
  }

  /** A namespace with ConfigMaps a, b and c, where b's body was then cut short below the API. */
  async function aNamespaceWithCorruptB(): Promise<string> {
    const namespace = `team-${++namespaceCount}`;
    const call = await anApi();
    expect((await call('POST', '/api/v1/namespaces', {}, aNamespace({ name: namespace }))).status).toBe(201);
    for (const name of ['a', 'b', 'c']) {
      const configMap = aConfigMap({ name, namespace, data: { password: SECRET } });
      expect((await call('POST', `/api/v1/namespaces/${namespace}/configmaps`, {}, configMap)).status).toBe(
        201,
      );
    }
    const key = keyOf(ConfigMapKind, namespace, 'b');
    const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key }));
    const body = item?.[TABLE.body]?.S ?? '';
    const cut = body.slice(0, body.indexOf(SECRET) + SECRET.length); // ends inside the secret's string
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...item, [TABLE.body]: { S: cut } },
      }),
    );
    expect(cut).toContain(SECRET);
    return namespace;
  }

  async function isStored(namespace: string, name: string): Promise<boolean> {
    const { Item: item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: keyOf(ConfigMapKind, namespace, name),
        ConsistentRead: true,
      }),
    );
    return item !== undefined;
  }

  describe.each([
    { how: 'read from the table', mirrored: false },
    { how: 'read through a TableMirror loaded after the damage (a restart)', mirrored: true },
  ])('$how', ({ mirrored }) => {
    it('lists the other objects, warns about the one left out, and records a Warning Event', async () => {
      const namespace = await aNamespaceWithCorruptB();
      const call = await anApi({ mirrored });
      const list = await call('GET', `/api/v1/namespaces/${namespace}/configmaps`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['a', 'c']);
      expect(list.headers.warning).toContain(`configmaps \\"b\\" in namespace \\"${namespace}\\"`);
      const all = await call('GET', '/api/v1/configmaps');
      expect(all.status).toBe(200);
      for (let i = 0; i < 5; i++) await call('GET', `/api/v1/namespaces/${namespace}/configmaps`);

      const events = await call('GET', `/api/v1/namespaces/${namespace}/events`, {
        fieldSelector: 'reason=CorruptObject',
      });
      expect(events.body.items).toHaveLength(1);
      expect(events.body.items[0]).toMatchObject({
        type: 'Warning',
        reason: 'CorruptObject',
        count: 1,
        involvedObject: { kind: 'ConfigMap', namespace, name: 'b' },
      });
      expect(JSON.stringify([list.headers, events, logged])).not.toContain(SECRET);
    });

    it('answers get with a 500 StorageReadError Status naming the object and saying it can be deleted', async () => {
      const namespace = await aNamespaceWithCorruptB();
      const call = await anApi({ mirrored });
      const answer = await call('GET', `/api/v1/namespaces/${namespace}/configmaps/b`);
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'StorageReadError',
        code: 500,
        details: {
          name: 'b',
          kind: 'configmaps',
          causes: [
            {
              reason: 'UnexpectedServerResponse',
              message: 'the stored body is not valid JSON',
              field: `core/ConfigMap#${namespace}/b`,
            },
          ],
        },
      });
      expect(answer.body.message).toMatch(/configmaps "b" in namespace "team-\d+" could not be read/);
      expect(answer.body.message).toContain('can be deleted');
      expect(JSON.stringify(answer)).not.toContain(SECRET);
      const replaced = await call(
        'PUT',
        `/api/v1/namespaces/${namespace}/configmaps/b`,
        {},
        aConfigMap({ name: 'b', namespace }),
      );
      expect(replaced.body.reason).toBe('StorageReadError');
    });

    it('removes it on a plain DELETE: answered with a Success Status, and gone from the table', async () => {
      const namespace = await aNamespaceWithCorruptB();
      const call = await anApi({ mirrored });
      const answer = await call('DELETE', `/api/v1/namespaces/${namespace}/configmaps/b`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        kind: 'Status',
        status: 'Success',
        details: { name: 'b', kind: 'configmaps' },
      });
      expect(await isStored(namespace, 'b')).toBe(false);
      expect((await call('GET', `/api/v1/namespaces/${namespace}/configmaps/b`)).status).toBe(404);
      const list = await call('GET', `/api/v1/namespaces/${namespace}/configmaps`);
      expect(list.body.items).toHaveLength(2);
      expect(list.headers.warning).toBeUndefined();
    });
  });

  it('needs ignoreStoreReadErrorWithClusterBreakingPotential for a DELETE with preconditions', async () => {
    const namespace = await aNamespaceWithCorruptB();
    const call = await anApi();
    const path = `/api/v1/namespaces/${namespace}/configmaps/b`;
    const withPreconditions = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'u-1' } };
    const refused = await call('DELETE', path, {}, withPreconditions);
    expect(refused.status).toBe(500);
    expect(refused.body.reason).toBe('StorageReadError');
    expect(await isStored(namespace, 'b')).toBe(true);
    const orphan = await call('DELETE', path, { propagationPolicy: 'Orphan' });
    expect(orphan.body.reason).toBe('StorageReadError');
    expect(await isStored(namespace, 'b')).toBe(true);

    const forced = await call(
      'DELETE',
      path,
      {},
      {
        ...withPreconditions,
        ignoreStoreReadErrorWithClusterBreakingPotential: true,
      },
    );
    expect(forced.status).toBe(200);
    expect(await isStored(namespace, 'b')).toBe(false);
  });

  it('takes ignoreStoreReadErrorWithClusterBreakingPotential as a query parameter too', async () => {
    const namespace = await aNamespaceWithCorruptB();
    const call = await anApi();
    const path = `/api/v1/namespaces/${namespace}/configmaps/b`;
    const bad = await call('DELETE', path, { ignoreStoreReadErrorWithClusterBreakingPotential: 'maybe' });
    expect(bad.status).toBe(400);
    const forced = await call('DELETE', path, {
      propagationPolicy: 'Foreground',
      ignoreStoreReadErrorWithClusterBreakingPotential: 'true',
    });
    expect(forced.status).toBe(200);
    expect(await isStored(namespace, 'b')).toBe(false);
  });

  it('still honours preconditions on objects that can be read, even with the flag', async () => {
    const namespace = await aNamespaceWithCorruptB();
    const call = await anApi();
    const answer = await call(
      'DELETE',
      `/api/v1/namespaces/${namespace}/configmaps/a`,
      {},
      {
        preconditions: { uid: 'not-its-uid' },
        ignoreStoreReadErrorWithClusterBreakingPotential: true,
      },
    );
    expect(answer.status).toBe(409);
    expect(await isStored(namespace, 'a')).toBe(true);
  });
});
