import { apiVersionOf } from '../../../kinds/kind-info';
import type { KubeObject } from '../../../kinds/meta';
import { deepEqual } from '../../../store/deep-equal';
import { timestamp } from '../../../store/server-fields';
import { isJsonObject, type JsonObject } from '../json-value';
import type { ApplySchema } from './apply-schema';
import { ApplyConflictError, type FieldConflict } from './apply-conflict-error';
import { compareValues } from './compare-values';
import { fieldSetOf } from './field-set-of';
import { FieldSet } from './field-set';
import { SERVER_METADATA, applySchemaOf, ownablePart, type FieldManagerScope } from './field-manager-scope';
import { ensureNamedFieldsAreMembers, mergeApplied, removeFields } from './merge-values';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  type ManagedFieldsEntry,
  type ManagerEntry,
  type Managers,
} from './managed-fields';

/** The manager that takes the fields of an object applied to for the first time with no managedFields. */
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

function entryFor(
  scope: FieldManagerScope,
  operation: ManagerEntry['operation'],
  fields: FieldSet,
): ManagerEntry {
  return {
    manager: scope.manager,
    operation,
    apiVersion: apiVersionOf(scope.kind),
    ...(scope.subresource ? { subresource: scope.subresource } : {}),
    fields,
  };
}

/**
 * The managers of an object about to be written: those the write itself carries (a client may
 * set managedFields directly; `[{}]` clears them) unless it writes a subresource, else the stored
 * object's. Unreadable managedFields count as none, as upstream's UpdateNoErrors resets them.
 */
function managersOf(
  live: KubeObject | undefined,
  next: KubeObject | undefined,
  scope: FieldManagerScope,
): Managers {
  const written = next?.metadata.managedFields;
  if (!scope.subresource && Array.isArray(written) && written.length > 0) {
    const managers = decodeManagedFields(written);
    if (managers) return managers;
  }
  return decodeManagedFields(live?.metadata.managedFields) ?? new Map();
}

/**
 * Takes from every other manager the fields a write changes (`force`) or reports them as
 * conflicts, and drops the fields it removes (upstream's Updater.update). Returns the managers
 * left and the comparison.
 */
function takeOwnership(
  before: JsonObject,
  after: JsonObject,
  managers: Managers,
  selfId: string,
  schema: ApplySchema,
  force: boolean,
) {
  const comparison = compareValues(before, after, schema);
  const changed = comparison.modified.union(comparison.added);
  const conflicts: FieldConflict[] = [];
  const next: Managers = new Map();
  for (const [id, entry] of managers) {
    if (id === selfId) {
      next.set(id, entry);
      continue;
    }
    const conflicting = entry.fields.intersection(changed);
    for (const path of conflicting.paths()) conflicts.push({ manager: entry, path });
    const fields = entry.fields.difference(conflicting).difference(comparison.removed);
    if (!fields.isEmpty()) next.set(id, { ...entry, fields });
  }
  if (!force && conflicts.length > 0) throw new ApplyConflictError(conflicts);
  return { managers: next, comparison };
}

/**
 * The managedFields of an object written by a create, update or non-apply patch: the writer's
 * Update entry gains every field the write adds or changes (with the time of the write), other
 * managers lose them, and everyone loses the fields it removes. A write that changes nothing
 * leaves them as they are.
 *
 * @example object.metadata.managedFields = recordUpdate({ kind, manager: 'kubectl-edit' }, stored, object);
 */
export function recordUpdate(
  scope: FieldManagerScope,
  live: KubeObject | undefined,
  next: KubeObject,
): ManagedFieldsEntry[] {
  const schema = applySchemaOf(scope.kind);
  const self = entryFor(scope, 'Update', FieldSet.EMPTY);
  const selfId = managerIdentifier(self);
  const before = ownablePart(live, scope);
  const after = ownablePart(next, scope);
  const managers = managersOf(live, next, scope);
  const previous = managers.get(selfId);
  managers.delete(selfId);
  const taken = takeOwnership(before, after, managers, selfId, schema, true);
  const changed = taken.comparison.added.union(taken.comparison.modified);
  if (!changed.isEmpty())
    taken.managers.set(selfId, {
      ...self,
      fields: changed.union(previous?.fields.difference(taken.comparison.removed) ?? FieldSet.EMPTY),
      time: timestamp(scope.now),
    });
  else if (previous) taken.managers.set(selfId, previous);
  return encodeManagedFields(capUpdateManagers(taken.managers));
}

/** The result of applying a configuration: the object to validate and store, and its managedFields. */
export interface AppliedObject {
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
}

/**
 * Server-side apply (structured-merge-diff's Updater.Apply): merges `config` into the stored
 * object (`live`, undefined when the apply creates it), makes the applier own exactly the fields
 * the configuration sets, removes the fields it applied last time and omits now unless another
 * manager owns them, and takes the changed fields from other managers only with `force`
 * (ApplyConflictError otherwise). Fields that keep their value are shared, not conflicts.
 *
 * Throws InvalidApplyConfigurationError for list items the configuration does not identify.
 */
export function applyConfiguration(
  scope: FieldManagerScope,
  live: KubeObject | undefined,
  config: JsonObject,
  force: boolean,
): AppliedObject {
  const schema = applySchemaOf(scope.kind);
  const self = entryFor(scope, 'Apply', FieldSet.EMPTY);
  const selfId = managerIdentifier(self);
  const managers = managersOf(live, undefined, scope);
  if (live && managers.size === 0) {
    const adopted = recordUpdate({ ...scope, manager: BEFORE_FIRST_APPLY_MANAGER }, undefined, live);
    for (const [id, entry] of decodeManagedFields(adopted) ?? []) managers.set(id, entry);
  }
  const before = ownablePart(live, scope);
  const applied = ownablePart(config, scope);
  const appliedFields = fieldSetOf(applied, schema);
  const lastApplied = managers.get(selfId);
  managers.set(selfId, {
    ...self,
    ...(lastApplied?.time ? { time: lastApplied.time } : {}),
    fields: appliedFields,
  });
  let merged = mergeApplied(before, applied, schema) as JsonObject;
  if (lastApplied) merged = prune(merged, lastApplied.fields, managers, schema);
  const taken = takeOwnership(before, merged, managers, selfId, schema, force);
  if (!deepEqual(before, merged)) {
    const entry = taken.managers.get(selfId);
    if (entry) taken.managers.set(selfId, { ...entry, time: timestamp(scope.now) });
  }
  return {
    object: withServerParts(live, merged, scope),
    managedFields: encodeManagedFields(taken.managers),
  };
}

/**
 * Removes what the applier applied last time and no manager (the applier included, with what it
 * applies now) owns any more (upstream's prune with addBackOwnedItems).
 */
function prune(
  merged: JsonObject,
  lastApplied: FieldSet,
  managers: Managers,
  schema: ApplySchema,
): JsonObject {
  let owned = FieldSet.EMPTY;
  for (const entry of managers.values()) owned = owned.union(entry.fields);
  const orphaned = ensureNamedFieldsAreMembers(lastApplied, schema).difference(
    ensureNamedFieldsAreMembers(owned, schema),
  );
  return removeFields(merged, orphaned, schema) as JsonObject;
}

/** The merged ownable part put back together with what the write could not own. */
function withServerParts(
  live: KubeObject | undefined,
  merged: JsonObject,
  scope: FieldManagerScope,
): JsonObject {
  if (scope.subresource === 'status') {
    const object: JsonObject = { ...live };
    if (merged.status === undefined) delete object.status;
    else object.status = merged.status;
    return object;
  }
  const metadata: JsonObject = isJsonObject(merged.metadata) ? { ...merged.metadata } : {};
  for (const field of SERVER_METADATA) {
    const value = live?.metadata[field];
    if (value !== undefined) metadata[field] = value;
  }
  const object: JsonObject = {
    apiVersion: apiVersionOf(scope.kind),
    kind: scope.kind.kind,
    ...merged,
    metadata,
  };
  if (scope.kind.hasStatus && live?.status !== undefined) object.status = live.status;
  return object;
}
