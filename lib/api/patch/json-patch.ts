import { applyOperation, getValueByPointer, type Operation } from 'fast-json-patch';
import { MAX_REQUEST_BYTES } from '../request-body';
import {
  InvalidPatchError,
  MAX_JSON_PATCH_OPERATIONS,
  TooManyPatchOperationsError,
  UnprocessablePatchError,
} from './errors';
import { cloneJson, goKind, isJsonObject } from './json-value';

const RFC_6902_OPERATIONS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies an RFC 6902 JSON patch (`application/json-patch+json`) with fast-json-patch, failing
 * the way kube-apiserver does: a body that is not a list of operation objects is
 * InvalidPatchError (400); an operation that cannot be applied — a failed `test`, a path that
 * does not exist, an unknown `op`, copies adding more than MAX_COPY_BYTES — is
 * UnprocessablePatchError (422); more than 10,000 operations is TooManyPatchOperationsError (413).
 * Nothing else escapes. Returns a new value; neither input is modified, and no operation applies
 * unless all do.
 *
 * @example
 *   jsonPatch(pod, [
 *     { op: 'test', path: '/metadata/labels/tier', value: 'web' },
 *     { op: 'replace', path: '/metadata/labels/tier', value: 'api' },
 *   ]);
 */
export function jsonPatch(original: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new InvalidPatchError(
      `json: cannot unmarshal ${goKind(operations)} into Go value of type jsonpatch.Patch`,
    );
  }
  for (const operation of operations) {
    if (!isJsonObject(operation)) {
      throw new InvalidPatchError(
        `json: cannot unmarshal ${goKind(operation)} into Go value of type map[string]*json.RawMessage`,
      );
    }
  }
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) throw new TooManyPatchOperationsError(operations.length);
  for (const operation of operations) {
    if (typeof operation.op !== 'string' || !RFC_6902_OPERATIONS.has(operation.op)) {
      throw new UnprocessablePatchError(`Unexpected kind: ${String(operation.op)}`);
    }
  }
  try {
    // fast-json-patch writes operation values into the document by reference: give it copies.
    const copies = cloneJson(operations) as unknown as Operation[];
    let document = cloneJson(original);
    let copied = 0;
    copies.forEach((operation, index) => {
      if (operation.op === 'copy') {
        copied += copySize(document, operation.from);
        if (copied > MAX_COPY_BYTES) throw new CopyLimitError(copied);
      }
      document = applyOperation(document, operation, true, true, true, index).newDocument;
    });
    return document;
  } catch (error) {
    throw new UnprocessablePatchError(describeFailure(error));
  }
}

/**
 * The most bytes a patch's `copy` operations may add in all: kube-apiserver's default
 * (--json-patch-max-copy-bytes, the request body limit). Without it, a few dozen copies of a
 * subtree into itself, in a 1 KB patch, would build gigabytes.
 */
export const MAX_COPY_BYTES = MAX_REQUEST_BYTES;

/** evanphx/json-patch's AccumulatedCopySizeError, as kube-apiserver reports it. */
class CopyLimitError extends Error {
  constructor(accumulated: number) {
    super(
      `Unable to complete the copy, the accumulated size increase of copy is ${accumulated}, exceeding the limit ${MAX_COPY_BYTES}`,
    );
  }
}

/** The serialized size of what a `copy` from `from` adds; 0 when `from` names nothing (the copy then fails on its own). */
function copySize(document: unknown, from: unknown): number {
  if (typeof from !== 'string') return 0;
  let value: unknown;
  try {
    value = getValueByPointer(document, from);
  } catch {
    return 0;
  }
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const operation = (error as { operation?: unknown }).operation;
  return operation === undefined ? error.message : `${error.message}: ${JSON.stringify(operation)}`;
}
