import { stableJson } from '../../../lib/controllers/deployment/stable-json';
import { KINDS } from '../../../lib/kinds/registry';
import type { KubeObject } from '../../../lib/kinds/meta';
import type { ObjectStore } from '../../../lib/store/object-store';

/**
 * The stored world reduced to what every delivery of the same scenario must agree on, per kind:
 * a sorted list of normalized objects (stable JSON, so it compares and prints well).
 *
 * Kept, because a level-based loop must converge to them whatever the delivery: which objects
 * exist by kind/namespace/name, labels, annotations (the Deployment revision), finalizers, whether
 * a deletion is under way, ownerReferences by kind and name, generation, spec, and status
 * (replica counts, observedGeneration, conditions; their times come from the frozen clock, so
 * they are equal too). Events are kept as well, with their counts summed per normalized report.
 *
 * Dropped, because two runs can never share them: uid, resourceVersion and creationTimestamp
 * (and the deletionTimestamp's value) are minted by the store from the real clock and random
 * uids, so ownerReferences lose their uid too. Pod names are `${replicaSet}-${suffix}`, the suffix
 * hashed from the ReplicaSet's uid and slot: uids differ between runs, so each pod is renamed
 * `${replicaSet}-*` and the owner's pods compare as a multiset (their count and contents). Events
 * lose their name (hashed from the involved object's uid) and the involved object's uid and
 * resourceVersion, and pod names in their messages are renamed the same way.
 */
export type NormalizedState = Record<string, string[]>;

const POD_SUFFIX = /-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const POD_NAME_IN_MESSAGE = /(pod: \S+)-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g;

export async function normalizedState(store: ObjectStore): Promise<NormalizedState> {
  const state: NormalizedState = {};
  for (const kind of KINDS) {
    const { items } = await store.list(kind);
    if (items.length === 0) continue;
    state[kind.kind] =
      kind.kind === 'Event' ? normalizedEvents(items) : items.map((o) => stableJson(normalized(o))).sort();
  }
  return state;
}

function normalized(object: KubeObject): Record<string, unknown> {
  const { deletionTimestamp, ownerReferences, name, ...rest } = object.metadata;
  const metadata = omit(rest, ['uid', 'resourceVersion', 'creationTimestamp']);
  return {
    ...object,
    metadata: {
      ...metadata,
      name: object.kind === 'Pod' ? (name ?? '').replace(POD_SUFFIX, '-*') : name,
      ...(deletionTimestamp ? { deleting: true } : {}),
      ...(ownerReferences ? { ownerReferences: ownerReferences.map((ref) => omit(ref, ['uid'])) } : {}),
    },
  };
}

/** Events keyed by what they report, with the counts of reports that normalize alike summed. */
function normalizedEvents(events: KubeObject[]): string[] {
  const counts = new Map<string, number>();
  for (const event of events) {
    const { metadata, involvedObject, count, message, ...report } = event as KubeObject & {
      involvedObject: Record<string, unknown>;
      count?: number;
      message?: string;
    };
    const involved = omit(involvedObject, ['uid', 'resourceVersion']);
    const key = stableJson({
      ...report,
      namespace: metadata.namespace,
      involvedObject: involved,
      message: message?.replace(POD_NAME_IN_MESSAGE, '$1-*'),
    });
    counts.set(key, (counts.get(key) ?? 0) + (count ?? 1));
  }
  return [...counts].map(([key, count]) => `${count}x ${key}`).sort();
}

function omit<T extends object>(value: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key))) as Partial<T>;
}
