/**
 * What applying a PATCH can refuse. The API edge maps each class to a Kubernetes Status once;
 * the split between them follows kube-apiserver (k8s.io/apiserver endpoints/handlers/patch.go):
 *
 * - UnsupportedPatchTypeError -> 415 UnsupportedMediaType
 * - InvalidPatchError         -> 400 BadRequest (the body does not parse, or a strategic merge
 *                                patch is malformed)
 * - UnprocessablePatchError   -> 422 Invalid (a well-formed JSON patch that cannot be applied to
 *                                this object: a failed `test`, a missing path; also a strategic
 *                                merge patch holding a list of lists)
 * - TooManyPatchOperationsError -> 413 RequestEntityTooLarge
 */

/** The Content-Type names no patch format we apply (server-side apply included). */
export class UnsupportedPatchTypeError extends Error {
  constructor(
    readonly contentType: string,
    readonly accepted: readonly string[],
  ) {
    super(
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }
}

/** The patch body is malformed for its format. The message is safe to return to the client. */
export class InvalidPatchError extends Error {}

/** kube-apiserver answers these with a fixed message and drops the cause; `detail` keeps it for logs. */
export const UNPROCESSABLE_PATCH_MESSAGE = 'the server rejected our request due to an error in our request';

/** The patch is well formed but cannot be applied to this object. */
export class UnprocessablePatchError extends Error {
  constructor(readonly detail: string) {
    super(UNPROCESSABLE_PATCH_MESSAGE);
  }
}

/** kube-apiserver's limit on the operations of one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** A JSON patch with more operations than kube-apiserver accepts. */
export class TooManyPatchOperationsError extends Error {
  constructor(readonly operations: number) {
    super(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations}`,
    );
  }
}
