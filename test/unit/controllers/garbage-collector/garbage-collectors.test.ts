import type { ObjectKey } from '../../../../lib/controllers/controller';
import {
  GARBAGE_COLLECTORS,
  garbageCollectorFor,
} from '../../../../lib/controllers/garbage-collector/garbage-collector';
import { watchedKindKeys } from '../../../../lib/controllers/watched-kinds';
import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import type { KindInfo } from '../../../../lib/kinds/kind-info';
import type { KubeObject, OwnerReference } from '../../../../lib/kinds/meta';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { NodeKind } from '../../../../lib/kinds/node';
import { KINDS } from '../../../../lib/kinds/registry';
import { kindKeyOf } from '../../../../lib/store/object-item';

const deploymentRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' };
const nodeRef: OwnerReference = { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'n1' };

function configMap(refs: OwnerReference[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'team-a', ownerReferences: refs },
  };
}

function namespace(refs: OwnerReference[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', ownerReferences: refs } };
}

/** The keys the collector of `ownerKind` is woken with when `object` (of `kind`) changes. */
function wakes(ownerKind: KindInfo, kind: KindInfo, object: KubeObject): ObjectKey[] {
  return garbageCollectorFor(ownerKind)
    .watches.filter((watch) => watch.kind === kind)
    .flatMap((watch) => watch.keysFor(object));
}

describe('The garbage collectors', () => {
  it('collect for every kind in the registry but Event and Lease, whose records never reach controllers', () => {
    expect(GARBAGE_COLLECTORS.map((collector) => collector.kind.kind).sort()).toEqual(
      KINDS.map((kind) => kind.kind)
        .filter((kind) => kind !== 'Event' && kind !== 'Lease')
        .sort(),
    );
    const watched = watchedKindKeys(GARBAGE_COLLECTORS);
    expect(watched).not.toContain('core/Event');
    expect(watched).not.toContain('coordination.k8s.io/Lease');
  });

  it('wake the owner of any kind when a dependent of another kind changes', () => {
    expect(wakes(DeploymentKind, ConfigMapKind, configMap([deploymentRef]))).toEqual([
      { kind: DeploymentKind, namespace: 'team-a', name: 'web' },
    ]);
  });

  it('wake a cluster-scoped owner, without a namespace, from namespaced and cluster-scoped dependents', () => {
    expect(wakes(NodeKind, ConfigMapKind, configMap([nodeRef]))).toEqual([
      { kind: NodeKind, namespace: undefined, name: 'node-1' },
    ]);
    expect(wakes(NodeKind, NamespaceKind, namespace([nodeRef]))).toEqual([
      { kind: NodeKind, namespace: undefined, name: 'node-1' },
    ]);
  });

  it('never watch cluster-scoped kinds for namespaced owners, which they cannot have', () => {
    const namespacedOwners = GARBAGE_COLLECTORS.filter((collector) => collector.kind.namespaced);
    for (const collector of namespacedOwners)
      expect(
        collector.watches.filter((watch) => !watch.kind.namespaced).map((w) => kindKeyOf(w.kind)),
      ).toEqual([]);
    expect(wakes(DeploymentKind, NamespaceKind, namespace([deploymentRef]))).toEqual([]);
  });
});
