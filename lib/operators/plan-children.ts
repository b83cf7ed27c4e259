import type { KubeObject, OwnerReference } from '../kinds/meta';
import type { UpdateMethod } from './operator-spec';
import { LAST_APPLIED, jsonEqual, threeWayMerge } from './three-way-merge';

/** One child resource of an operator, resolved against the kinds the API serves. */
export interface ChildKind {
  apiVersion: string;
  kind: string;
  /** The resource's plural, for the API's paths. */
  plural: string;
  namespaced: boolean;
  updateMethod: UpdateMethod;
}

export type ChildAction =
  | { type: 'create'; kind: ChildKind; object: KubeObject }
  | { type: 'update'; kind: ChildKind; object: KubeObject }
  | { type: 'delete'; kind: ChildKind; object: KubeObject };

/** A hook's answer that cannot be applied: the operator's bug, reported on the parent. */
export class InvalidChildError extends Error {}

/**
 * What to change so the parent's children are the desired ones: each desired child that is missing
 * is created, owned by the parent (a controller reference, blocking the owner's foreground
 * deletion, as Metacontroller sets it); each that differs is updated (InPlace), deleted to be
 * created again on the next sync (Recreate) or left alone (OnDelete); each observed child the
 * answer no longer names is deleted. Pure, so it is tested without an API.
 *
 * Throws InvalidChildError for an answer naming a kind the operator does not declare, a child in
 * another namespace than a namespaced parent's, or one name twice.
 */
export function planChildren(
  parent: KubeObject,
  kinds: readonly ChildKind[],
  observed: readonly { kind: ChildKind; object: KubeObject }[],
  desired: readonly KubeObject[],
): ChildAction[] {
  const actions: ChildAction[] = [];
  const wanted = new Set<string>();
  const existing = new Map(observed.map((child) => [identity(child.kind, child.object), child]));
  for (const object of desired) {
    const kind = kinds.find((k) => k.apiVersion === object.apiVersion && k.kind === object.kind);
    if (!kind)
      throw new InvalidChildError(
        `the hook answered a ${object.kind} (${object.apiVersion}), which is not among the operator's childResources`,
      );
    const child = placed(parent, kind, object);
    const id = identity(kind, child);
    if (wanted.has(id)) throw new InvalidChildError(`the hook answered ${describe(kind, child)} twice`);
    wanted.add(id);
    const current = existing.get(id);
    if (!current) {
      actions.push({ type: 'create', kind, object: child });
      continue;
    }
    const update = applied(current.object, child);
    if (jsonEqual(update, current.object) || kind.updateMethod === 'OnDelete') continue;
    actions.push(
      kind.updateMethod === 'Recreate'
        ? { type: 'delete', kind, object: current.object }
        : { type: 'update', kind, object: update },
    );
  }
  for (const child of observed)
    if (!wanted.has(identity(child.kind, child.object)) && !child.object.metadata.deletionTimestamp)
      actions.push({ type: 'delete', kind: child.kind, object: child.object });
  return actions;
}

/** The controller reference a parent's children carry. */
export function controllerReferenceTo(parent: KubeObject): OwnerReference {
  return {
    apiVersion: parent.apiVersion,
    kind: parent.kind,
    name: parent.metadata.name ?? '',
    uid: parent.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether `object` is controlled by `parent` (its controller reference names the parent's uid). */
export function isControlledBy(object: KubeObject, parent: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (ref) => ref.controller === true && ref.uid === parent.metadata.uid,
  );
}

/**
 * The desired child as it is written: in the parent's namespace (a namespaced parent's children
 * share it), owned by the parent, and carrying what was applied, for the next three-way merge.
 */
function placed(parent: KubeObject, kind: ChildKind, object: KubeObject): KubeObject {
  const parentNamespace = parent.metadata.namespace;
  const namespace = kind.namespaced ? (object.metadata.namespace ?? parentNamespace) : undefined;
  if (kind.namespaced && parentNamespace !== undefined && namespace !== parentNamespace)
    throw new InvalidChildError(
      `${describe(kind, object)} must be in its parent's namespace ${parentNamespace}, not ${namespace}`,
    );
  if (kind.namespaced && namespace === undefined)
    throw new InvalidChildError(`${describe(kind, object)} needs metadata.namespace: its parent has none`);
  const owners = (object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== parent.metadata.uid);
  const annotations = { ...object.metadata.annotations, [LAST_APPLIED]: JSON.stringify(object) };
  return {
    ...object,
    metadata: {
      ...object.metadata,
      ...(namespace === undefined ? {} : { namespace }),
      annotations,
      ownerReferences: [...owners, controllerReferenceTo(parent)],
    },
  };
}

/** The stored child with the desired one laid over it (three-way, against what was applied last). */
function applied(current: KubeObject, desired: KubeObject): KubeObject {
  const lastText = current.metadata.annotations?.[LAST_APPLIED];
  let last: unknown = {};
  try {
    last = lastText ? JSON.parse(lastText) : {};
  } catch {
    // Someone else wrote the annotation: merge two-way.
  }
  const merged = threeWayMerge(current, last, desired) as KubeObject;
  // The owner references are the parent's to set whole: what others added stays only if desired says so.
  return { ...merged, metadata: { ...merged.metadata, ownerReferences: desired.metadata.ownerReferences } };
}

function identity(kind: ChildKind, object: KubeObject): string {
  return `${kind.kind}.${kind.apiVersion}|${object.metadata.namespace ?? ''}|${object.metadata.name ?? ''}`;
}

function describe(kind: ChildKind, object: KubeObject): string {
  return `${kind.kind} ${object.metadata.name ?? ''}`;
}
