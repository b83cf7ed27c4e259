import { waitsOnlyOnCycle } from '../../../../lib/controllers/garbage-collector/foreground-cycle';
import type { KubeObject } from '../../../../lib/kinds/meta';

/** How far along its own deletion a pod is: not at all, held by another finalizer, or waiting in the foreground. */
type Deletion = 'none' | 'other-finalizer' | 'foreground';

/** Pod `name` (uid `name`) owned, with blockOwnerDeletion, by each pod in `owners`. */
function pod(name: string, owners: string[], deletion: Deletion = 'foreground'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: name,
      ownerReferences: owners.map((owner) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        name: owner,
        uid: owner,
        blockOwnerDeletion: true,
      })),
      ...(deletion === 'none' ? {} : { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      ...(deletion === 'foreground' ? { finalizers: ['foregroundDeletion'] } : {}),
      ...(deletion === 'other-finalizer' ? { finalizers: ['example.com/cleanup'] } : {}),
    },
  };
}

describe('waitsOnlyOnCycle', () => {
  it.each<[string, KubeObject[], boolean]>([
    ['a cycle: a pod that owns itself', [pod('a', ['a'])], true],
    ['a cycle: two pods that own each other', [pod('a', ['b']), pod('b', ['a'])], true],
    ['a cycle: three pods in a ring', [pod('a', ['c']), pod('b', ['a']), pod('c', ['b'])], true],
    [
      'a cycle: a chain that ends in a cycle, everything in it waiting',
      [pod('a', []), pod('b', ['a', 'c']), pod('c', ['b'])],
      true,
    ],
    ['no cycle: nothing blocks the owner, so it simply finishes', [pod('a', [])], false],
    [
      'no cycle: a dependent not yet deleted, which its owner will delete',
      [pod('a', ['b']), pod('b', ['a'], 'none')],
      false,
    ],
    [
      'no cycle: a dependent held by another finalizer, which goes when that is done',
      [pod('a', ['b']), pod('b', ['a'], 'other-finalizer')],
      false,
    ],
    [
      'no cycle: a chain whose last dependent waits for nothing, so it finishes and the rest in turn',
      [pod('a', []), pod('b', ['a']), pod('c', ['b'])],
      false,
    ],
    [
      'no cycle: a cycle with a branch still moving',
      [pod('a', ['b']), pod('b', ['a']), pod('c', ['b'], 'none')],
      false,
    ],
  ])('%s', (_, pods, expected) => {
    expect(waitsOnlyOnCycle(pods[0], pods)).toBe(expected);
  });
});
