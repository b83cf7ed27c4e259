import { serviceAccountController } from '../../../../lib/controllers/service-account/service-account-controller';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { ServiceAccountKind } from '../../../../lib/kinds/service-account';
import { aNamespace } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

describe.each(dynamoEngines())('ServiceAccount controller on $name', (engine) => {
  let h: ControllerHarness;
  const reconcile = (namespace: string) =>
    serviceAccountController.reconcile({ kind: NamespaceKind, name: namespace }, h.context);
  const defaultAccount = (namespace: string) => h.find(ServiceAccountKind, namespace, 'default');

  beforeAll(async () => {
    h = await controllerHarness(engine, 'serviceaccount', ['default', 'team-a']);
  });
  afterAll(() => h.destroy());

  it('creates the default ServiceAccount of a namespace, with only its name', async () => {
    expect(await reconcile('team-a')).toEqual({});
    const account = await defaultAccount('team-a');
    expect(account).toMatchObject({
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'team-a' },
    });
    expect(Object.keys(account ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
  });

  it('leaves an existing default ServiceAccount as it is', async () => {
    await h.create(ServiceAccountKind, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'default' },
      automountServiceAccountToken: false,
    });
    await reconcile('default');
    expect(await defaultAccount('default')).toMatchObject({ automountServiceAccountToken: false });
  });

  it('creates it again after it is deleted: the deletion wakes its namespace', async () => {
    await h.store.delete(ServiceAccountKind, 'team-a', 'default');
    const [watch] = serviceAccountController.watches;
    const keys = watch.keysFor({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'team-a' },
    });
    expect(keys).toEqual([{ kind: NamespaceKind, name: 'team-a' }]);
    await reconcile('team-a');
    expect(await defaultAccount('team-a')).toBeDefined();
  });

  it('gives none to a namespace being deleted or gone', async () => {
    await h.create(NamespaceKind, aNamespace({ name: 'leaving' }));
    await h.store.delete(NamespaceKind, undefined, 'leaving');
    expect(await reconcile('leaving')).toEqual({});
    expect(await defaultAccount('leaving')).toBeUndefined();
    expect(await reconcile('never-was')).toEqual({});
  });
});
