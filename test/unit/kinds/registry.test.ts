import { apiVersionOf } from '../../../lib/kinds/kind-info';
import { KINDS, findKindByKind, findKindByResource } from '../../../lib/kinds/registry';

describe('kind registry', () => {
  it('serves the eleven kinds', () => {
    expect(KINDS.map((k) => `${apiVersionOf(k)}/${k.kind}`).sort()).toEqual([
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

  it('gives every kind but ConfigMap, Event and Lease a status subresource', () => {
    const withoutStatus = KINDS.filter((k) => !k.hasStatus).map((k) => k.kind);
    expect(withoutStatus.sort()).toEqual([
      'AccessEntry',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'EndpointSlice',
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
