import { JsonTooDeepError, parseJsonText } from '../json-text';
import { InvalidPatchError, UnprocessablePatchError, UnsupportedPatchTypeError } from './errors';
import { jsonPatch } from './json-patch';
import { goKind, isJsonObject } from './json-value';
import { mergePatch } from './merge-patch';
import type { PatchMeta } from './patch-meta';
import { strategicMergePatch } from './strategic-merge-patch';

/**
 * The PATCH media types applyPatch applies, in kube-apiserver's order. Server-side apply
 * (`application/apply-patch+yaml`) merges by field ownership instead (server-side-apply/).
 */
export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

export type PatchContentType = (typeof PATCH_CONTENT_TYPES)[number];

/** Server-side apply's media type. */
export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

/** Every PATCH media type the API accepts, as kube-apiserver lists them in its 415. */
export const ACCEPTED_PATCH_CONTENT_TYPES = [...PATCH_CONTENT_TYPES, APPLY_PATCH_CONTENT_TYPE] as const;

export type AcceptedPatchContentType = (typeof ACCEPTED_PATCH_CONTENT_TYPES)[number];

/**
 * The patch format a Content-Type header names, parameters such as `; charset=utf-8` ignored.
 * Throws UnsupportedPatchTypeError (415) otherwise, which the API can check before it reads the
 * object, as kube-apiserver does.
 */
export function patchContentType(header: string | undefined): AcceptedPatchContentType {
  const mediaType = (header ?? '').split(';')[0].trim().toLowerCase();
  const known = ACCEPTED_PATCH_CONTENT_TYPES.find((type) => type === mediaType);
  if (!known) throw new UnsupportedPatchTypeError(header ?? '', ACCEPTED_PATCH_CONTENT_TYPES);
  return known;
}

/**
 * Applies the body of a PATCH request to the stored object, dispatching on its Content-Type:
 * JSON patch, JSON merge patch, or strategic merge patch (which reads `meta`, the patch metadata
 * of the object's kind). Returns a new object; `original` is never modified.
 *
 * Throws UnsupportedPatchTypeError (415) for other media types (server-side apply included: the
 * API dispatches it to apply-object.ts first), InvalidPatchError (400) for a
 * body that does not parse or is malformed for its format, UnprocessablePatchError (422) for a
 * JSON patch that cannot be applied, TooManyPatchOperationsError (413) for an oversized JSON
 * patch. Validation of the result against the kind is the caller's job.
 *
 * @example
 *   applyPatch('application/merge-patch+json; charset=utf-8', deployment, '{"spec":{"replicas":5}}', meta);
 */
export function applyPatch(
  contentType: string,
  original: object,
  patchBody: string,
  meta: PatchMeta,
): object {
  const type = patchContentType(contentType);
  if (type === APPLY_PATCH_CONTENT_TYPE)
    throw new UnsupportedPatchTypeError(contentType, PATCH_CONTENT_TYPES);
  const patch = parseBody(type, patchBody);
  let result: unknown;
  switch (type) {
    case 'application/json-patch+json':
      result = jsonPatch(original, patch);
      break;
    case 'application/merge-patch+json':
      if (!isJsonObject(patch)) throw new InvalidPatchError(INVALID_MERGE_PATCH);
      result = mergePatch(original, patch);
      break;
    case 'application/strategic-merge-patch+json':
      if (!isJsonObject(patch)) {
        throw new InvalidPatchError(
          `json: cannot unmarshal ${goKind(patch)} into Go value of type map[string]interface {}`,
        );
      }
      result = strategicMergePatch(original, patch, meta);
      break;
  }
  if (!isJsonObject(result)) throw new UnprocessablePatchError('the patched document is not a JSON object');
  return result;
}

/** evanphx/json-patch's answer to a merge patch it cannot read. */
const INVALID_MERGE_PATCH = 'Invalid JSON Patch';

function parseBody(type: PatchContentType, body: string): unknown {
  try {
    return parseJsonText(body);
  } catch (error) {
    if (error instanceof JsonTooDeepError)
      throw new InvalidPatchError(`error decoding patch: ${error.message}`);
    if (type === 'application/merge-patch+json') throw new InvalidPatchError(INVALID_MERGE_PATCH);
    throw new InvalidPatchError(`error decoding patch: ${(error as Error).message}`);
  }
}
