import { clusterRoleAggregationController } from '../../../../lib/controllers/cluster-role-aggregation/cluster-role-aggregation-controller';
import { ClusterRoleKind, type ClusterRole } from '../../../../lib/kinds/cluster-role';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

const role = (name: string, labels: Record<string, string>, extra: Partial<ClusterRole> = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  ...extra,
});
const read = (resource: string) => ({ verbs: ['get'], apiGroups: [''], resources: [resource] });
const aggregating = (label: string) => ({
  aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] },
});

describe.each(dynamoEngines())('ClusterRole aggregation controller on $name', (engine) => {
  let h: ControllerHarness;
  const reconcile = (name: string) =>
    clusterRoleAggregationController.reconcile({ kind: ClusterRoleKind, name }, h.context);
  const rulesOf = async (name: string) =>
    ((await h.find(ClusterRoleKind, undefined, name)) as ClusterRole).rules;

  beforeAll(async () => {
    h = await controllerHarness(engine, 'aggregation');
  });
  afterAll(() => h.destroy());

  it('gives an aggregating role the rules of the roles it selects, through chains, and follows their changes', async () => {
    await h.create(ClusterRoleKind, role('top', {}, aggregating('to-top')));
    await h.create(ClusterRoleKind, role('middle', { 'to-top': 'true' }, aggregating('to-middle')));
    await h.create(ClusterRoleKind, role('pods', { 'to-middle': 'true' }, { rules: [read('pods')] }));
    await h.create(ClusterRoleKind, role('nodes', { 'to-top': 'true' }, { rules: [read('nodes')] }));
    await reconcile('pods');
    expect(await rulesOf('middle')).toEqual([read('pods')]);
    expect(await rulesOf('top')).toEqual([read('pods'), read('nodes')]);

    const nodes = (await h.find(ClusterRoleKind, undefined, 'nodes')) as ClusterRole;
    await h.store.update(ClusterRoleKind, { ...nodes, metadata: { ...nodes.metadata, labels: {} } });
    await reconcile('nodes');
    expect(await rulesOf('top')).toEqual([read('pods')]);
  });

  it('writes nothing when the rules are already aggregated', async () => {
    const before = await h.find(ClusterRoleKind, undefined, 'top');
    await reconcile('top');
    expect((await h.find(ClusterRoleKind, undefined, 'top'))?.metadata.resourceVersion).toBe(
      before?.metadata.resourceVersion,
    );
  });
});
