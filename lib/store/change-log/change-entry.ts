import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import { fieldReader } from '../field-selector';
import { kindKeyOf } from '../object-item';

/** The watch event types a committed change becomes (BOOKMARK and ERROR are the watch's own). */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * What label and field selectors read of an object: kept with a change for the object as it was
 * before, so a watch with selectors can tell an object entering its selection (ADDED) or leaving
 * it (DELETED) from one changing inside it (MODIFIED), as kube-apiserver's watch cache does. Much
 * smaller than the object itself, which keeps a log record within DynamoDB's item limit.
 */
export interface SelectableView {
  labels?: Record<string, string>;
  /** Each of the kind's selectable fields (and metadata.name/namespace), as field selectors read them. */
  fields: Record<string, string>;
}

/** One committed create, update or delete at its revision: one record of the change log. */
export interface ChangeEntry {
  revision: number;
  type: ChangeType;
  /** `apps/Deployment`: the kind part of the object's key (object-item.ts). */
  kindKey: string;
  /** '' for cluster-scoped kinds. */
  namespace: string;
  name: string;
  /**
   * The object after the change, its resourceVersion the revision. For a DELETED change, the
   * object as it was removed, with the deletion's revision as its resourceVersion, as
   * kube-apiserver reports a deletion to watchers.
   */
  object: KubeObject;
  /** For MODIFIED: what selectors saw before the change. */
  previous?: SelectableView;
}

/**
 * A revision taken but never committed: its write failed its condition, or it was given up on
 * after its writer went silent (a gap filler). Watchers pass over it; it keeps revisions dense.
 */
export interface SkippedRevision {
  revision: number;
  skipped: true;
}

/** What the log holds at each revision. */
export type LogRecord = ChangeEntry | SkippedRevision;

export function isSkipped(record: LogRecord): record is SkippedRevision {
  return 'skipped' in record;
}

/** What label and field selectors read of `object` (see SelectableView). */
export function selectableView(kind: KindInfo, object: KubeObject): SelectableView {
  const fields: Record<string, string> = {};
  for (const field of ['metadata.name', 'metadata.namespace', ...Object.keys(kind.fieldSelectors)])
    fields[field] = fieldReader(kind, field)?.(object) ?? '';
  return { ...(object.metadata.labels ? { labels: object.metadata.labels } : {}), fields };
}

/**
 * The log entry for a write of `kind`: `after` is what was stored (undefined for a removal),
 * `before` what it replaced (undefined for a create); `revision` is the write's own.
 */
export function changeEntryOf(
  kind: KindInfo,
  revision: number,
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): ChangeEntry {
  const object = after ?? before;
  if (!object) throw new Error('a change needs an object before or after it');
  const identity = {
    revision,
    kindKey: kindKeyOf(kind),
    namespace: kind.namespaced ? (object.metadata.namespace ?? '') : '',
    name: object.metadata.name ?? '',
  };
  if (!after)
    return {
      ...identity,
      type: 'DELETED',
      object: { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } },
    };
  if (!before) return { ...identity, type: 'ADDED', object: after };
  return { ...identity, type: 'MODIFIED', object: after, previous: selectableView(kind, before) };
}
