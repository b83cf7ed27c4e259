import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import type { ChangeEntry, SelectableView } from '../../store/change-log/change-entry';
import { matchesFields } from '../../store/field-selector';
import { matchesLabels } from '../../store/label-selector';
import { kindKeyOf, storedJsonOf } from '../../store/object-item';
import type { ListOptions } from '../../store/object-store';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** What one watch selects: a kind, maybe one namespace, and the list's selectors. */
export interface WatchScope {
  kind: KindInfo;
  options: Pick<ListOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>;
}

/**
 * The event a committed change is to a watch, or undefined when the watch does not see it. With
 * selectors, kube-apiserver's rules: an object changing into the selection is ADDED, one changing
 * out of it DELETED (carrying its new state), one changing inside it MODIFIED.
 */
export function eventOf(
  scope: WatchScope,
  entry: ChangeEntry,
): { type: WatchEventType; object: KubeObject } | undefined {
  const { kind, options } = scope;
  if (entry.kindKey !== kindKeyOf(kind)) return undefined;
  if (kind.namespaced && options.namespace !== undefined && entry.namespace !== options.namespace)
    return undefined;
  const selectedNow = selects(scope, entry.object);
  if (entry.type !== 'MODIFIED') return selectedNow ? { type: entry.type, object: entry.object } : undefined;
  const selectedBefore = entry.previous ? viewSelected(scope, entry.previous) : selectedNow;
  if (selectedBefore && selectedNow) return { type: 'MODIFIED', object: entry.object };
  if (selectedNow) return { type: 'ADDED', object: entry.object };
  if (selectedBefore) return { type: 'DELETED', object: entry.object };
  return undefined;
}

function selects({ kind, options }: WatchScope, object: KubeObject): boolean {
  if (options.labelSelector && !matchesLabels(options.labelSelector, object.metadata.labels)) return false;
  if (options.fieldSelector && !matchesFields(kind, options.fieldSelector, object)) return false;
  return true;
}

function viewSelected({ options }: WatchScope, view: SelectableView): boolean {
  if (options.labelSelector && !matchesLabels(options.labelSelector, view.labels)) return false;
  return (options.fieldSelector ?? []).every(({ field, operator, value }) =>
    operator === '=' ? (view.fields[field] ?? '') === value : (view.fields[field] ?? '') !== value,
  );
}

/**
 * One line of a watch stream: `{"type":...,"object":...}` and a newline, as kube-apiserver writes
 * JSON watch events. An object read from the store reuses the JSON it was stored as.
 */
export function eventLine(type: WatchEventType, object: unknown): string {
  return `{"type":"${type}","object":${jsonOf(object)}}\n`;
}

/** JSON of objects that are not stored as they are (a deletion's object), made once for every watcher. */
const serialized = new WeakMap<object, string>();

function jsonOf(object: unknown): string {
  if (typeof object !== 'object' || object === null) return JSON.stringify(object);
  const stored = storedJsonOf(object) ?? serialized.get(object);
  if (stored !== undefined) return stored;
  const json = JSON.stringify(object);
  serialized.set(object, json);
  return json;
}

/**
 * A BOOKMARK's object: only the kind and the revision the watch has reached (kube sends the
 * object's kind with metadata.resourceVersion and nothing else of note).
 */
export function bookmarkObject(kind: KindInfo, apiVersion: string, revision: number): KubeObject {
  return { apiVersion, kind: kind.kind, metadata: { resourceVersion: String(revision) } };
}
