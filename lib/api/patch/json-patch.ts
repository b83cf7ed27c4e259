import { applyPatch as applyOperations, type Operation } from 'fast-json-patch';
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
 * does not exist, an unknown `op` — is UnprocessablePatchError (422); more than 10,000
 * operations is TooManyPatchOperationsError (413). Nothing else escapes. Returns a new value;
 * neither input is modified, and no operation applies unless all do.
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
    return applyOperations(cloneJson(original), copies, true, true, true).newDocument;
  } catch (error) {
    throw new UnprocessablePatchError(describeFailure(error));
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const operation = (error as { operation?: unknown }).operation;
  return operation === undefined ? error.message : `${error.message}: ${JSON.stringify(operation)}`;
}
