import { decodeObject } from '../../../../lib/kinds/decode';
import { PodKind, type Pod } from '../../../../lib/kinds/pod';
import { ReplicaSetKind, type ReplicaSet } from '../../../../lib/kinds/replica-set';
import { aPod, aReplicaSet, type ReplicaSetOptions } from '../../../support/builders';

/**
 * Stored-looking ReplicaSets and pods for planning tests: decoded (defaults applied) and given the
 * server-owned fields a store would have set.
 */

export const NOW = new Date('2025-01-01T12:00:00Z');
export const RS_UID = 'uid-rs-web';

/** ReplicaSet `web-5d8f` selecting `app: web`, stored at generation 2. */
export function storedReplicaSet(options: ReplicaSetOptions = {}): ReplicaSet {
  const rs = decodeObject(ReplicaSetKind, aReplicaSet(options)).object as ReplicaSet;
  return { ...rs, metadata: { ...rs.metadata, uid: RS_UID, generation: 2, resourceVersion: '7' } };
}

export interface PodState {
  name: string;
  labels?: Record<string, string>;
  /** Who controls the pod: this ReplicaSet (default), another controller, or nobody. */
  owner?: 'this' | 'other' | 'none';
  nodeName?: string;
  phase?: Pod['status']['phase'];
  /** Ready since this time (the Ready condition's lastTransitionTime). */
  readySince?: string;
  created?: string;
  deleting?: boolean;
}

/** A stored pod of `app: web`, controlled by storedReplicaSet() unless `owner` says otherwise. */
export function storedPod(state: PodState): Pod {
  const owner = state.owner ?? 'this';
  const decoded = decodeObject(
    PodKind,
    aPod({
      name: state.name,
      labels: state.labels ?? { app: 'web' },
      ...(state.nodeName ? { nodeName: state.nodeName } : {}),
      status: {
        ...(state.phase ? { phase: state.phase } : {}),
        ...(state.readySince
          ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: state.readySince }] }
          : {}),
      },
    }),
  ).object as Pod;
  const ownerReferences =
    owner === 'none'
      ? undefined
      : [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: owner === 'this' ? 'web-5d8f' : 'other',
            uid: owner === 'this' ? RS_UID : 'uid-other',
            controller: true,
          },
        ];
  return {
    ...decoded,
    metadata: {
      ...decoded.metadata,
      uid: `uid-${state.name}`,
      resourceVersion: '3',
      creationTimestamp: state.created ?? '2025-01-01T11:00:00Z',
      ...(ownerReferences ? { ownerReferences } : {}),
      ...(state.deleting ? { deletionTimestamp: '2025-01-01T11:59:00Z' } : {}),
    },
  };
}

export const names = (objects: readonly { metadata?: { name?: string } }[]) =>
  objects.map((object) => object.metadata?.name);
