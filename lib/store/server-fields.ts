import { randomUUID } from 'node:crypto';
import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { deepEqual } from './deep-equal';

/**
 * The metadata the server owns, set the way kube-apiserver sets it. Pure functions over objects, so
 * the rules are tested without a table.
 */

/** Kubernetes timestamps are RFC 3339 in whole seconds. */
export function timestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` plus five random characters from kube's alphabet (no vowels, no look-alikes). */
export function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++)
    suffix += NAME_SUFFIX_ALPHABET[Math.floor(Math.random() * NAME_SUFFIX_ALPHABET.length)];
  return prefix + suffix;
}

/**
 * A new object as stored: fresh uid, creation time, generation 1, no deletion marks, and no
 * resourceVersion yet: the store gives it its revision as it commits; a dry run answers without
 * one, as kube-apiserver does.
 */
export function prepareCreate(object: KubeObject, now = new Date()): KubeObject {
  const metadata = { ...object.metadata };
  delete metadata.deletionTimestamp;
  delete metadata.deletionGracePeriodSeconds;
  delete metadata.resourceVersion;
  return {
    ...object,
    metadata: {
      ...metadata,
      uid: randomUUID(),
      creationTimestamp: timestamp(now),
      generation: 1,
    },
  };
}

/** Everything but metadata and status: what moves generation when it changes. */
function specPart(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

/**
 * The object an update stores: the caller's object with the server-owned fields kept from `current`.
 * `mode` 'status' takes only status from the caller; 'main' ignores the caller's status for kinds
 * with the status subresource. Returns undefined when the write would change nothing.
 */
export function prepareUpdate(
  kind: KindInfo,
  current: KubeObject,
  incoming: KubeObject,
  mode: 'main' | 'status',
): KubeObject | undefined {
  const base = mode === 'status' ? { ...current, status: incoming.status } : { ...incoming };
  if (mode === 'main' && kind.hasStatus) {
    if (current.status === undefined) delete base.status;
    else base.status = current.status;
  }
  // A status write keeps the object's metadata, but records its writer in managedFields.
  const source =
    mode === 'status' && incoming.metadata.managedFields !== undefined
      ? { ...current.metadata, managedFields: incoming.metadata.managedFields }
      : mode === 'status'
        ? current.metadata
        : incoming.metadata;
  const metadata = {
    ...source,
    name: current.metadata.name,
    namespace: current.metadata.namespace,
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    generation: current.metadata.generation,
    resourceVersion: current.metadata.resourceVersion,
    deletionTimestamp: current.metadata.deletionTimestamp,
    deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds,
  };
  if (metadata.namespace === undefined) delete metadata.namespace;
  if (metadata.deletionTimestamp === undefined) delete metadata.deletionTimestamp;
  if (metadata.deletionGracePeriodSeconds === undefined) delete metadata.deletionGracePeriodSeconds;
  const next: KubeObject = { ...base, metadata };
  if (deepEqual(next, current)) return undefined;
  if (!deepEqual(specPart(next), specPart(current)))
    metadata.generation = (current.metadata.generation ?? 0) + 1;
  return next;
}

/** Finalizers the caller tries to add while the object is being deleted (kube forbids that). */
export function addedFinalizers(current: KubeObject, next: KubeObject): string[] {
  const before = new Set(current.metadata.finalizers ?? []);
  return (next.metadata.finalizers ?? []).filter((f) => !before.has(f));
}

/** The finalizer kube-apiserver adds for each propagation policy that needs the garbage collector. */
export function propagationFinalizer(policy: string | undefined): string | undefined {
  if (policy === 'Foreground') return 'foregroundDeletion';
  if (policy === 'Orphan') return 'orphan';
  return undefined;
}
