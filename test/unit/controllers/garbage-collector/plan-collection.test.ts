import {
  planCollection,
  type CollectionAction,
  type Dependent,
} from '../../../../lib/controllers/garbage-collector/plan-collection';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import type { KubeObject, OwnerReference } from '../../../../lib/kinds/meta';
import { ReplicaSetKind } from '../../../../lib/kinds/replica-set';

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  uid,
  ...extra,
});

function replicaSet(name: string, refs: OwnerReference[], deleting = false): Dependent {
  return {
    kind: ReplicaSetKind,
    object: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        ownerReferences: refs,
        ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      },
    },
  };
}

function deployment(uid: string, finalizers?: string[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid,
      ...(finalizers ? { finalizers, deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
  };
}

/** Actions as `verb name` strings, so a table row reads at a glance. */
function summary(actions: CollectionAction[]): string[] {
  return actions.map((a) => {
    if (a.type === 'deleteDependent')
      return `delete ${a.dependent.object.metadata.name} ${a.propagationPolicy}`;
    if (a.type === 'removeOwnerReferences')
      return `unown ${a.dependent.object.metadata.name} ${a.uids.join(',')}`;
    return `unfinalize ${a.finalizer}`;
  });
}

const otherOwner: OwnerReference = { apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-1' };

describe('planCollection', () => {
  it.each<[string, KubeObject | undefined, Dependent[], string[], number | undefined]>([
    [
      'an owner that is gone: its dependents are deleted',
      undefined,
      [replicaSet('a', [ref('d1')])],
      ['delete a Background'],
      undefined,
    ],
    [
      'an owner that is gone: a dependent already being deleted is left',
      undefined,
      [replicaSet('a', [ref('d1')], true)],
      [],
      undefined,
    ],
    [
      'an owner that is gone: a dependent with another owner only loses the reference',
      undefined,
      [replicaSet('a', [ref('d1'), otherOwner])],
      ['unown a d1'],
      undefined,
    ],
    [
      "a recreated owner: only the old owner's dependents go",
      deployment('d2'),
      [replicaSet('old', [ref('d1')]), replicaSet('new', [ref('d2')])],
      ['delete old Background'],
      undefined,
    ],
    ['a live owner: nothing', deployment('d1'), [replicaSet('a', [ref('d1')])], [], undefined],
    [
      'orphan: dependents lose the reference, then the finalizer goes',
      deployment('d1', ['orphan']),
      [replicaSet('a', [ref('d1')]), replicaSet('b', [ref('d1')])],
      ['unown a d1', 'unown b d1', 'unfinalize orphan'],
      undefined,
    ],
    [
      'foreground: blocking dependents are deleted in the foreground, others in the background',
      deployment('d1', ['foregroundDeletion']),
      [replicaSet('a', [ref('d1', { blockOwnerDeletion: true })]), replicaSet('b', [ref('d1')])],
      ['delete a Foreground', 'delete b Background'],
      5,
    ],
    [
      'foreground: marked dependents are waited for',
      deployment('d1', ['foregroundDeletion']),
      [replicaSet('a', [ref('d1')], true)],
      [],
      5,
    ],
    [
      'foreground: no dependent left, the finalizer goes',
      deployment('d1', ['foregroundDeletion']),
      [],
      ['unfinalize foregroundDeletion'],
      undefined,
    ],
  ])('%s', (_, owner, dependents, expected, requeue) => {
    const plan = planCollection({ ownerKind: DeploymentKind, ownerName: 'web', owner, dependents });
    expect(summary(plan.actions)).toEqual(expected);
    expect(plan.requeueAfterSeconds).toBe(requeue);
  });
});
