/**
 * What the store can refuse. The API edge maps each to a Kubernetes Status (lib/api/status.ts);
 * controllers branch on them by class ("already gone" is success for a delete).
 */

/** Identifies one object in an error: `deployments.apps "web"`. */
export interface ObjectRef {
  group: string;
  plural: string;
  namespace?: string;
  name: string;
}

export class NotFoundError extends Error {
  constructor(readonly ref: ObjectRef) {
    super(`${qualifiedResource(ref)} "${ref.name}" not found`);
  }
}

export class AlreadyExistsError extends Error {
  constructor(readonly ref: ObjectRef) {
    super(`${qualifiedResource(ref)} "${ref.name}" already exists`);
  }
}

/** The object changed since the caller read it (its resourceVersion or uid moved). */
export class ConflictError extends Error {
  constructor(
    readonly ref: ObjectRef,
    detail = 'the object has been modified; please apply your changes to the latest version and try again',
  ) {
    super(`Operation cannot be fulfilled on ${qualifiedResource(ref)} "${ref.name}": ${detail}`);
  }
}

/** The serialized object is over the store's size limit; it is refused, never truncated. */
export class TooLargeError extends Error {
  constructor(
    readonly ref: ObjectRef,
    readonly bytes: number,
    readonly limit: number,
    /** 'gzipped' when the object's JSON fits but its stored, gzipped form does not. */
    readonly form: 'json' | 'gzipped' = 'json',
  ) {
    super(
      `${qualifiedResource(ref)} "${ref.name}" is too large: ${bytes} bytes${form === 'gzipped' ? ' gzipped' : ''}, limit is ${limit} bytes`,
    );
  }
}

/** A continue token that this store did not issue, or that belongs to another query. */
export class InvalidContinueTokenError extends Error {
  constructor() {
    super('the provided continue parameter is not valid for this list');
  }
}

/**
 * A stored item that cannot be read back as an object: its body is missing, is not JSON, or is JSON
 * that is not an object whose metadata names it (disk damage, or an edit made below the API). Lists
 * leave such items out; reading one answers this error; a delete removes it unread. The message
 * names the item and the problem, never the body, which may hold secrets.
 */
export class CorruptObjectError extends Error {
  constructor(
    readonly ref: ObjectRef,
    /** The item's table key, `<pk>/<sk>`: `core/ConfigMap#default/web-config`. */
    readonly key: string,
    /** What is wrong with the stored body, e.g. `the stored body is not valid JSON`. */
    readonly problem: string,
  ) {
    super(
      `${qualifiedResource(ref)} "${ref.name}"${ref.namespace ? ` in namespace "${ref.namespace}"` : ''} could not be read from storage: ${problem}. It can be deleted: a plain DELETE (or one with ignoreStoreReadErrorWithClusterBreakingPotential=true) removes it unread, ignoring its finalizers`,
    );
  }
}

/** `deployments.apps`, or `pods` for the core group. */
export function qualifiedResource(ref: Pick<ObjectRef, 'group' | 'plural'>): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}

/** Objects may not be created in a namespace that is being deleted (kube's NamespaceLifecycle). */
export class NamespaceTerminatingError extends Error {
  constructor(
    readonly ref: ObjectRef,
    readonly namespace: string,
  ) {
    super(
      `${qualifiedResource(ref)} "${ref.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

/** A write kube forbids on a field (e.g. adding finalizers to an object being deleted). */
export class ForbiddenFieldError extends Error {
  constructor(
    readonly ref: ObjectRef,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${qualifiedResource(ref)} "${ref.name}" is invalid: ${field}: Forbidden: ${detail}`);
  }
}

/**
 * A watch asked to resume from a revision the change log no longer holds: the client must list
 * again (kube's 410 Expired, which every client answers by re-listing).
 */
export class ExpiredError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/** A watch asked for a revision the cluster has not reached (kube's ResourceVersionTooLarge). */
export class ResourceVersionTooLargeError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`Too large resource version: ${requested}, current: ${current}`);
  }
}
