import {
  planCollection,
  type CollectionAction,
  type Dependent,
} from '../../../../lib/controllers/garbage-collector/plan-collection';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import { apiVersionOf, type KindInfo } from '../../../../lib/kinds/kind-info';
import { LeaseKind } from '../../../../lib/kinds/lease';
import type { KubeObject, OwnerReference } from '../../../../lib/kinds/meta';
import { PodKind } from '../../../../lib/kinds/pod';
import { ReplicaSetKind } from '../../../../lib/kinds/replica-set';

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  uid,
  ...extra,
});

/** How far along its own deletion an object is: not at all, marked, or waiting in the foreground. */
type Deletion = 'none' | 'marked' | 'foreground';

function anObject(kind: KindInfo, name: string, refs: OwnerReference[], deletion: Deletion): Dependent {
  return {
    kind,
    object: {
      apiVersion: apiVersionOf(kind),
      kind: kind.kind,
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        ownerReferences: refs,
        ...(deletion === 'none' ? {} : { deletionTimestamp: '2026-01-01T00:00:00Z' }),
        ...(deletion === 'foreground' ? { finalizers: ['foregroundDeletion'] } : {}),
      },
    },
  };
}

const replicaSet = (name: string, refs: OwnerReference[], deletion: Deletion = 'none') =>
  anObject(ReplicaSetKind, name, refs, deletion);
const pod = (name: string, refs: OwnerReference[], deletion: Deletion = 'none') =>
  anObject(PodKind, name, refs, deletion);

/** A blocking reference to the ReplicaSet `name`. */
const rsRef = (name: string): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name,
  uid: `uid-${name}`,
  blockOwnerDeletion: true,
});

function deployment(uid: string, finalizers?: string[], refs?: OwnerReference[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid,
      ...(refs ? { ownerReferences: refs } : {}),
      ...(finalizers ? { finalizers, deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
  };
}

/** A Deployment and its ReplicaSet owning each other, both blocking and deleted in the foreground. */
const cyclic = deployment('d1', ['foregroundDeletion'], [rsRef('a')]);

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
      [replicaSet('a', [ref('d1')], 'marked')],
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
      'foreground: blocking dependents already being deleted are waited for',
      deployment('d1', ['foregroundDeletion']),
      [replicaSet('a', [ref('d1', { blockOwnerDeletion: true })], 'marked')],
      [],
      5,
    ],
    [
      'foreground: dependents that do not block are deleted, but not waited for',
      deployment('d1', ['foregroundDeletion']),
      [replicaSet('a', [ref('d1')]), replicaSet('b', [ref('d1')], 'marked')],
      ['delete a Background', 'unfinalize foregroundDeletion'],
      undefined,
    ],
    [
      'foreground: a blocking dependent waiting on its own dependents in turn is waited for',
      deployment('d1', ['foregroundDeletion']),
      [replicaSet('a', [ref('d1', { blockOwnerDeletion: true })], 'foreground'), pod('a-1', [rsRef('a')])],
      [],
      5,
    ],
    [
      'foreground: a blocking dependent whose own dependents all wait in the foreground is waited for',
      deployment('d1', ['foregroundDeletion']),
      [
        replicaSet('a', [ref('d1', { blockOwnerDeletion: true })], 'foreground'),
        pod('a-1', [rsRef('a')], 'foreground'),
      ],
      [],
      5,
    ],
    [
      'foreground: dependents waiting only on a cycle back to the owner no longer hold it',
      cyclic,
      [
        replicaSet('a', [ref('d1', { blockOwnerDeletion: true })], 'foreground'),
        { kind: DeploymentKind, object: cyclic },
      ],
      ['unfinalize foregroundDeletion'],
      undefined,
    ],
    [
      'foreground: a blocking dependent without a collector of its own is deleted in the background',
      deployment('d1', ['foregroundDeletion']),
      [anObject(LeaseKind, 'lock', [ref('d1', { blockOwnerDeletion: true })], 'none')],
      ['delete lock Background'],
      5,
    ],
    [
      'foreground: no dependent left, the finalizer goes',
      deployment('d1', ['foregroundDeletion']),
      [],
      ['unfinalize foregroundDeletion'],
      undefined,
    ],
  ])('%s', (_, owner, objects, expected, requeue) => {
    const plan = planCollection({ ownerKind: DeploymentKind, ownerName: 'web', owner, objects });
    expect(summary(plan.actions)).toEqual(expected);
    expect(plan.requeueAfterSeconds).toBe(requeue);
  });
});
