import { storePolicySource } from '../../../lib/authz/store-policy-source';
import { ClusterRoleBindingKind } from '../../../lib/kinds/cluster-role-binding';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

describe('RBAC policy read from the store', () => {
  const client = dynamoClient(dynamoEngines()[0].endpoint);
  afterAll(() => client.destroy());

  it('serves a snapshot for the cache time, then reads the store again', async () => {
    const tableName = uniqueTableName('policy');
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    let clock = 0;
    const policy = storePolicySource(store, { cacheMs: 5_000, now: () => clock });
    expect(await policy.clusterRoleBindings()).toEqual([]);
    await store.create(ClusterRoleBindingKind, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' }],
    });
    clock = 4_999;
    expect(await policy.clusterRoleBindings()).toEqual([]);
    clock = 5_000;
    expect((await policy.clusterRoleBindings()).map((b) => b.metadata.name)).toEqual(['ops']);
  });
});
