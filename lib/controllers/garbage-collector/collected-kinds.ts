import { JobKind } from '../../kinds/job';
import type { KindInfo } from '../../kinds/kind-info';
import { PodKind } from '../../kinds/pod';
import { KINDS } from '../../kinds/registry';
import { ReplicaSetKind } from '../../kinds/replica-set';

/**
 * The kinds whose objects are searched for dependents of a deleted owner: what Skiff's own
 * controllers create with ownerReferences (Deployment -> ReplicaSet -> Pod, Job -> Pod, and Jobs
 * a user's tooling may own). Add a kind here when something starts owning objects of it.
 */
export const DEPENDENT_KINDS: readonly KindInfo[] = [PodKind, ReplicaSetKind, JobKind];

/**
 * Kinds that never own anything and change constantly (Events, Lease heartbeats), or that have
 * their own deletion lifecycle (Namespace, emptied by the namespace controller).
 */
const NOT_OWNERS = new Set(['Event', 'Lease', 'Namespace']);

/**
 * The kinds the garbage collector watches as owners: every kind an ownerReference may name —
 * Deployment, ReplicaSet and Job first of all, but also a Pod, ConfigMap or Node that a user
 * made an owner.
 */
export const OWNER_KINDS: readonly KindInfo[] = KINDS.filter((kind) => !NOT_OWNERS.has(kind.kind));
