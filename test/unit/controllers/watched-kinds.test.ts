import type { Controller } from '../../../lib/controllers/controller';
import { triggerKinds, watchedKindKeys } from '../../../lib/controllers/watched-kinds';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { findKindByKind } from '../../../lib/kinds/registry';

const kind = (apiVersion: string, name: string) => findKindByKind(apiVersion, name) as KindInfo;
const aController = (name: string, owns: KindInfo, watches: KindInfo[] = []): Controller => ({
  name,
  kind: owns,
  watches: watches.map((watched) => ({ kind: watched, keysFor: () => [] })),
  reconcile: async () => ({}),
});

describe('watchedKindKeys', () => {
  it('is empty without controllers', () => {
    expect(watchedKindKeys([])).toEqual([]);
  });

  it('lists each owned and watched kind once, sorted, by its kindKey', () => {
    const replicaSets = aController('replicaset-controller', kind('apps/v1', 'ReplicaSet'), [
      kind('v1', 'Pod'),
    ]);
    const deployments = aController('deployment-controller', kind('apps/v1', 'Deployment'), [
      kind('apps/v1', 'ReplicaSet'),
    ]);
    const jobs = aController('job-controller', kind('batch/v1', 'Job'), [kind('v1', 'Pod')]);
    expect(watchedKindKeys([replicaSets, deployments, jobs])).toEqual([
      'apps/Deployment',
      'apps/ReplicaSet',
      'batch/Job',
      'core/Pod',
    ]);
  });

  it('leaves out kinds nobody watches, such as Lease and Event', () => {
    const keys = watchedKindKeys([aController('namespace-controller', kind('v1', 'Namespace'))]);
    expect(keys).toEqual(['core/Namespace']);
  });
});

describe('triggerKinds', () => {
  const collector = (owns: KindInfo, watches: KindInfo[]): Controller => ({
    ...aController(`garbage-collector-${owns.plural}`, owns, watches),
    collectionRecordsOnly: true,
  });

  it('lets every record of a kind through when an ordinary controller watches it, even if a collector watches it too', () => {
    const replicaSets = aController('replicaset-controller', kind('apps/v1', 'ReplicaSet'), [
      kind('v1', 'Pod'),
    ]);
    const collectors = collector(kind('apps/v1', 'ReplicaSet'), [kind('v1', 'Pod'), kind('v1', 'ConfigMap')]);
    expect(triggerKinds([replicaSets, collectors])).toEqual({
      everyRecord: ['apps/ReplicaSet', 'core/Pod'],
      collectionRecords: ['core/ConfigMap'],
    });
  });

  it('needs no collection-only kinds without collectors', () => {
    const jobs = aController('job-controller', kind('batch/v1', 'Job'), [kind('v1', 'Pod')]);
    expect(triggerKinds([jobs])).toEqual({ everyRecord: ['batch/Job', 'core/Pod'], collectionRecords: [] });
  });
});
