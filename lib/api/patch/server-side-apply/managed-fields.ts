import { isJsonObject, type JsonObject } from '../json-value';
import { FieldSet, InvalidFieldsError } from './field-set';

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** One manager's ownership: a managedFields entry with its fields read into a set. */
export interface ManagerEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/**
 * The managers of one object, by identifier. As upstream (BuildManagerIdentifier), an entry is
 * identified by manager, operation and subresource, and for updates by apiVersion too: the same
 * client's Apply and Update are two managers, and so are its writes to the object and to its status.
 */
export type Managers = Map<string, ManagerEntry>;

/** The identifier upstream builds: the entry's JSON without time and fields (and apiVersion for Apply). */
export function managerIdentifier(entry: Omit<ManagerEntry, 'fields' | 'time'>): string {
  const id: JsonObject = { manager: entry.manager, operation: entry.operation };
  if (entry.operation === 'Update') id.apiVersion = entry.apiVersion;
  if (entry.subresource) id.subresource = entry.subresource;
  return JSON.stringify(id);
}

/** The managedFields entry as stored and served (metav1.ManagedFieldsEntry). */
export type ManagedFieldsEntry = {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: JsonObject;
  subresource?: string;
};

/**
 * Reads an object's managedFields. Undefined when they cannot be read (not a list, an entry
 * without a known operation or with fields that are not FieldsV1, one manager twice): the caller
 * then falls back as upstream does. Entries with no fields are dropped, which is how a client
 * clears managedFields (by writing `[{}]`).
 */
export function decodeManagedFields(raw: unknown): Managers | undefined {
  if (raw === undefined || raw === null) return new Map();
  if (!Array.isArray(raw)) return undefined;
  const managers: Managers = new Map();
  for (const item of raw) {
    if (!isJsonObject(item)) return undefined;
    if (item.fieldsV1 === undefined && item.operation === undefined && item.manager === undefined) continue;
    const { manager = '', operation, apiVersion = '', time, subresource, fieldsType, fieldsV1 } = item;
    if (operation !== 'Apply' && operation !== 'Update') return undefined;
    if (fieldsType !== undefined && fieldsType !== 'FieldsV1') return undefined;
    if (typeof manager !== 'string' || typeof apiVersion !== 'string') return undefined;
    let fields: FieldSet;
    try {
      fields = fieldsV1 === undefined ? FieldSet.EMPTY : FieldSet.fromFieldsV1(fieldsV1);
    } catch (error) {
      if (error instanceof InvalidFieldsError) return undefined;
      throw error;
    }
    const entry: ManagerEntry = {
      manager,
      operation,
      apiVersion,
      ...(typeof time === 'string' ? { time } : {}),
      ...(typeof subresource === 'string' && subresource !== '' ? { subresource } : {}),
      fields,
    };
    const id = managerIdentifier(entry);
    if (managers.has(id)) return undefined;
    managers.set(id, entry);
  }
  return managers;
}

/**
 * The managedFields to store, in upstream's order (Apply before Update, then oldest first, then
 * by manager, apiVersion and subresource); managers left with no fields are dropped.
 */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  return [...managers.values()]
    .filter((entry) => !entry.fields.isEmpty())
    .sort(compareEntries)
    .map((entry) => ({
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      ...(entry.time ? { time: entry.time } : {}),
      fieldsType: 'FieldsV1',
      fieldsV1: entry.fields.toFieldsV1(),
      ...(entry.subresource ? { subresource: entry.subresource } : {}),
    }));
}

function compareEntries(a: ManagerEntry, b: ManagerEntry): number {
  return (
    compareText(a.operation, b.operation) ||
    compareText(a.time ?? '', b.time ?? '') ||
    compareText(a.manager, b.manager) ||
    compareText(a.apiVersion, b.apiVersion) ||
    compareText(a.subresource ?? '', b.subresource ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** kube-apiserver keeps at most this many Update managers (DefaultMaxUpdateManagers). */
export const MAX_UPDATE_MANAGERS = 10;
/** The manager the oldest updates are merged into beyond that. */
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';

/**
 * Caps the Update managers as kube-apiserver does: beyond MAX_UPDATE_MANAGERS, the oldest are
 * merged into one `ancient-changes` entry, which takes the time of the newest it holds.
 */
export function capUpdateManagers(managers: Managers): Managers {
  const updaters = [...managers.entries()].filter(([, entry]) => entry.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managers;
  updaters.sort(([idA, a], [idB, b]) => compareText(a.time ?? '', b.time ?? '') || compareText(idA, idB));
  const oldest = updaters.slice(0, updaters.length - MAX_UPDATE_MANAGERS + 1);
  const capped: Managers = new Map(managers);
  let fields = FieldSet.EMPTY;
  for (const [id, entry] of oldest) {
    fields = fields.union(entry.fields);
    capped.delete(id);
  }
  const last = oldest[oldest.length - 1][1];
  const bucket: ManagerEntry = {
    manager: ANCIENT_CHANGES_MANAGER,
    operation: 'Update',
    apiVersion: last.apiVersion,
    ...(last.time ? { time: last.time } : {}),
    fields,
  };
  const id = managerIdentifier(bucket);
  const existing = capped.get(id);
  if (existing) bucket.fields = bucket.fields.union(existing.fields);
  capped.set(id, bucket);
  return capped;
}
