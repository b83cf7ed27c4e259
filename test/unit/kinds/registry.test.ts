import { apiVersionOf, type KindInfo } from '../../../lib/kinds/kind-info';
import { KINDS, findKindByKind, findKindByResource, newKindRegistry } from '../../../lib/kinds/registry';

describe('kind registry', () => {
  it('serves the built-in kinds', () => {
    expect(KINDS.map((k) => `${apiVersionOf(k)}/${k.kind}`).sort()).toEqual([
      'apiextensions.k8s.io/v1/CustomResourceDefinition',
      'apps/v1/Deployment',
      'apps/v1/ReplicaSet',
      'batch/v1/CronJob',
      'batch/v1/Job',
      'coordination.k8s.io/v1/Lease',
      'discovery.k8s.io/v1/EndpointSlice',
      'policy/v1/PodDisruptionBudget',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding',
      'skiff.dev/v1alpha1/AccessEntry',
      'skiff.dev/v1alpha1/NodeClaim',
      'skiff.dev/v1alpha1/NodePool',
      'v1/ConfigMap',
      'v1/Endpoints',
      'v1/Event',
      'v1/Namespace',
      'v1/Node',
      'v1/Pod',
      'v1/Secret',
      'v1/Service',
      'v1/ServiceAccount',
    ]);
  });

  it.each([
    ['', 'v1', 'namespaces', 'Namespace'],
    ['', 'v1', 'ns', 'Namespace'],
    ['', 'v1', 'pods', 'Pod'],
    ['', 'v1', 'po', 'Pod'],
    ['', 'v1', 'pod', 'Pod'],
    ['', 'v1', 'no', 'Node'],
    ['', 'v1', 'cm', 'ConfigMap'],
    ['', 'v1', 'ev', 'Event'],
    ['apps', 'v1', 'deploy', 'Deployment'],
    ['apps', 'v1', 'rs', 'ReplicaSet'],
    ['batch', 'v1', 'jobs', 'Job'],
    ['coordination.k8s.io', 'v1', 'leases', 'Lease'],
    ['skiff.dev', 'v1alpha1', 'nodepools', 'NodePool'],
    ['skiff.dev', 'v1alpha1', 'np', 'NodePool'],
    ['skiff.dev', 'v1alpha1', 'nodeclaim', 'NodeClaim'],
    ['skiff.dev', 'v1alpha1', 'nc', 'NodeClaim'],
  ])('finds %s/%s %s', (group, version, resource, kind) => {
    expect(findKindByResource(group, version, resource)?.kind).toBe(kind);
  });

  it('does not find a resource in the wrong group or version', () => {
    expect(findKindByResource('', 'v1', 'deployments')).toBeUndefined();
    expect(findKindByResource('apps', 'v1beta1', 'deployments')).toBeUndefined();
  });

  it('finds a kind by apiVersion and kind', () => {
    expect(findKindByKind('apps/v1', 'Deployment')?.plural).toBe('deployments');
    expect(findKindByKind('v1', 'Deployment')).toBeUndefined();
  });

  it('puts workloads in the "all" category, as kube does', () => {
    const all = KINDS.filter((k) => k.categories?.includes('all')).map((k) => k.kind);
    expect(all.sort()).toEqual(['CronJob', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'Service']);
  });

  it('gives every kind with a status in kube a status subresource', () => {
    const withoutStatus = KINDS.filter((k) => !k.hasStatus).map((k) => k.kind);
    expect(withoutStatus.sort()).toEqual([
      'AccessEntry',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'EndpointSlice',
      'Endpoints',
      'Event',
      'Lease',
      'Role',
      'RoleBinding',
      'Secret',
      'ServiceAccount',
    ]);
  });

  it('scopes Namespace and Node to the cluster', () => {
    expect(
      KINDS.filter((k) => !k.namespaced)
        .map((k) => k.kind)
        .sort(),
    ).toEqual([
      'AccessEntry',
      'ClusterRole',
      'ClusterRoleBinding',
      'CustomResourceDefinition',
      'Namespace',
      'Node',
      'NodeClaim',
      'NodePool',
    ]);
  });

  it("puts the capacity kinds in Karpenter's category", () => {
    const karpenter = KINDS.filter((k) => k.categories?.includes('karpenter')).map((k) => k.kind);
    expect(karpenter).toEqual(['NodePool', 'NodeClaim']);
  });

  it('gives only Pods the binding subresource', () => {
    expect(KINDS.filter((k) => k.hasBinding).map((k) => k.kind)).toEqual(['Pod']);
  });

  it('declares the field selectors kube-apiserver supports', () => {
    const fields = (kind: string) =>
      Object.keys(findKindByKind(kind === 'Deployment' ? 'apps/v1' : 'v1', kind)!.fieldSelectors);
    expect(fields('Pod')).toEqual(
      expect.arrayContaining(['spec.nodeName', 'status.phase', 'spec.restartPolicy', 'spec.schedulerName']),
    );
    expect(fields('Event')).toEqual(
      expect.arrayContaining([
        'involvedObject.kind',
        'involvedObject.name',
        'involvedObject.namespace',
        'involvedObject.uid',
        'reason',
        'type',
        'source',
      ]),
    );
    expect(fields('Node')).toEqual(['spec.unschedulable']);
    expect(fields('Namespace')).toEqual(['status.phase']);
  });
});

describe('a KindRegistry with custom kinds', () => {
  const custom = (overrides: Partial<KindInfo>): KindInfo => ({
    ...(findKindByKind('v1', 'ConfigMap') as KindInfo),
    group: 'web.skiff.dev',
    version: 'v1alpha1',
    kind: 'StaticSite',
    plural: 'staticsites',
    singular: 'staticsite',
    shortNames: ['site'],
    ...overrides,
  });

  it('finds a custom kind by resource, singular, short name and kind, and counts the change', () => {
    const registry = newKindRegistry();
    const before = registry.generation;
    registry.setCustomKinds([custom({})]);
    for (const name of ['staticsites', 'staticsite', 'site'])
      expect(registry.findByResource('web.skiff.dev', 'v1alpha1', name)?.kind).toBe('StaticSite');
    expect(registry.findByKind('web.skiff.dev/v1alpha1', 'StaticSite')?.plural).toBe('staticsites');
    expect(registry.served.map((k) => k.kind)).toContain('StaticSite');
    expect(registry.generation).toBeGreaterThan(before);
    // The built-in lookups and other registries never see it.
    expect(findKindByKind('web.skiff.dev/v1alpha1', 'StaticSite')).toBeUndefined();
    expect(newKindRegistry().findByResource('web.skiff.dev', 'v1alpha1', 'site')).toBeUndefined();
  });

  it('never lets a custom kind shadow a built-in one, and lets a built-in short name win', () => {
    const registry = newKindRegistry();
    registry.setCustomKinds([
      custom({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' }),
      custom({ group: '', version: 'v1', kind: 'Thing', plural: 'things', shortNames: ['po'] }),
    ]);
    expect(registry.findByKind('apps/v1', 'Deployment')?.shortNames).toContain('deploy');
    expect(registry.customKinds.map((k) => k.kind)).toEqual(['Thing']);
    expect(registry.findByResource('', 'v1', 'po')?.kind).toBe('Pod');
    expect(registry.findByResource('', 'v1', 'things')?.kind).toBe('Thing');
  });

  it('drops the custom kinds a new set leaves out', () => {
    const registry = newKindRegistry();
    registry.setCustomKinds([custom({})]);
    registry.setCustomKinds([]);
    expect(registry.findByResource('web.skiff.dev', 'v1alpha1', 'staticsites')).toBeUndefined();
  });

  it('keeps one KindInfo per stored custom kind, its first version, however many versions are served', () => {
    const registry = newKindRegistry();
    registry.setCustomKinds([
      custom({}),
      custom({ version: 'v1beta1' }),
      custom({ kind: 'Blog', plural: 'blogs', shortNames: [] }),
    ]);
    expect(registry.customKinds).toHaveLength(3);
    expect(registry.storedCustomKinds.map((k) => `${k.kind}/${k.version}`)).toEqual([
      'StaticSite/v1alpha1',
      'Blog/v1alpha1',
    ]);
  });
});
