import { aConfigMap } from '../../test/support/builders';

/** The watch event a change must become. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One write of the watch benchmark, and the event every watcher must receive for it. */
export interface PlannedChange {
  type: ChangeType;
  name: string;
  /** Its place in the plan, also stored in the ConfigMap's data so every write changes it. */
  seq: number;
}

const CYCLE: ChangeType[] = ['ADDED', 'MODIFIED', 'DELETED'];

/**
 * `count` changes to ConfigMaps: each is created, updated, then deleted, in turn, so the three
 * kinds of event are measured alike and the namespace stays small.
 */
export function configMapChanges(count: number): PlannedChange[] {
  return Array.from({ length: count }, (_, seq) => ({
    type: CYCLE[seq % CYCLE.length],
    name: `cm-${Math.floor(seq / CYCLE.length)}`,
    seq,
  }));
}

/** The ConfigMap a create or update of `change` writes: a few settings, as an app's would be. */
export function configMapOf(change: PlannedChange, namespace: string) {
  return aConfigMap({
    name: change.name,
    namespace,
    labels: { app: 'bench-watch' },
    data: { seq: String(change.seq), 'log-level': 'info', 'feature-flags': 'search,checkout' },
  });
}
