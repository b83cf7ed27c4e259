import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import type { ObjectStore } from '../store/object-store';
import type { EventRecorder } from './event-recorder';
import type { NodeHeartbeats } from '../store/node-heartbeats';

/**
 * The reconcile contract (design.md decision 3, style.md point 2): a controller is woken with the
 * identity of an object, never with the event that changed it, re-reads what it needs, converges
 * the world toward the object's spec and reports whether to look again later.
 */

/** Which object to reconcile. */
export interface ObjectKey {
  kind: KindInfo;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

export interface ReconcileResult {
  /** Look at this key again after this many seconds even if nothing changes (deadlines, backoff). */
  requeueAfterSeconds?: number;
}

/** What a reconcile may use: the store, an event recorder and the clock (injected so tests control time). */
export interface ReconcileContext {
  store: ObjectStore;
  events: EventRecorder;
  now(): Date;
  /**
   * When present, the dispatcher gives each controller the recorder this returns for its name, so
   * its Events say which controller wrote them (source.component).
   */
  eventsFor?(component: string): EventRecorder;
  /** Nodes' direct heartbeats (lib/store/node-heartbeats.ts), where agents write them (on AWS). */
  heartbeats?: Pick<NodeHeartbeats, 'lastRenewal'>;
  /**
   * The custom kinds stored now, one per kind (the local control plane's CRDs; see
   * KindRegistry.storedCustomKinds), which the garbage collector
   * searches for dependents beside the built-in kinds. Absent: built-in kinds only (on AWS, where
   * the reconcile function does not read the CRDs).
   */
  customKinds?: () => readonly KindInfo[];
}

/**
 * How changes to objects of one kind wake a controller: `keysFor` maps a changed object to the keys
 * the controller should reconcile (for owned kinds, the controlling owner from ownerReferences).
 */
export interface Watch {
  kind: KindInfo;
  keysFor(object: KubeObject): ObjectKey[];
}

export interface Controller {
  /** A short name for logs and Events' source component, e.g. `replicaset-controller`. */
  name: string;
  /** The kind whose objects this controller reconciles (a change to one wakes it with its own key). */
  kind: KindInfo;
  /** Other kinds whose changes wake it. */
  watches: Watch[];
  /**
   * Woken only by collection records (record-keys.ts, isCollectionRecord): removals, and objects
   * with owner references or being deleted. The garbage collectors' case: any other change to an
   * object gives them nothing to do, so on AWS the stream trigger does not even invoke the
   * function for such records of kinds no other controller watches (a ConfigMap's update).
   */
  collectionRecordsOnly?: boolean;
  /**
   * Converges one object. Must be idempotent: deterministic child names, conditional writes, and
   * "already gone" counted as done. A missing object is a normal case (it was deleted), not an
   * error. Throw to retry; throw TerminalReconcileError when retrying cannot help.
   */
  reconcile(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult>;
}

/**
 * A failure retrying will not fix (an invalid spec, say). The dispatcher records it as a Warning
 * Event on the object and does not retry the record.
 */
export class TerminalReconcileError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** `Deployment default/web`, for logs and errors. */
export function describeKey(key: ObjectKey): string {
  return `${key.kind.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

/** The key of a stored object. */
export function keyOf(kind: KindInfo, object: KubeObject): ObjectKey {
  return {
    kind,
    namespace: kind.namespaced ? object.metadata.namespace : undefined,
    name: object.metadata.name ?? '',
  };
}
