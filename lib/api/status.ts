import { InvalidObjectError, StrictDecodingError } from '../kinds/errors';
import { RangeFullError } from './service-network/service-admission';
import { UndecodableObjectError } from '../kinds/undecodable-object-error';
import {
  DISRUPTION_BUDGET_CAUSE,
  DisruptionBudgetForbiddenError,
  DisruptionBudgetViolationError,
  MultipleDisruptionBudgetsError,
} from './verbs/eviction-errors';
import {
  InvalidPatchError,
  TooManyPatchOperationsError,
  UnprocessablePatchError,
  UnsupportedPatchTypeError,
} from './patch/errors';
import { ApplyConflictError } from './patch/server-side-apply/apply-conflict-error';
import {
  AlreadyExistsError,
  ConflictError,
  CorruptObjectError,
  ForbiddenFieldError,
  ExpiredError,
  InvalidContinueTokenError,
  NamespaceTerminatingError,
  NotFoundError,
  ResourceVersionTooLargeError,
  TooLargeError,
  type ObjectRef,
} from '../store/errors';
import { InvalidSelectorError } from '../store/label-selector';
import {
  BadRequestError,
  MethodNotAllowedError,
  RouteNotFoundError,
  ServiceUnavailableError,
  TooLargeRequestError,
  UnsupportedMediaTypeError,
} from './errors';

/**
 * Kubernetes' Status object (meta/v1), the one shape every API error takes, and the single place
 * where Skiff's error classes become HTTP answers (style.md point 12).
 */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** A failure Status. */
export function failure(code: number, reason: string, message: string, details?: Status['details']): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function refDetails(ref: ObjectRef): Status['details'] {
  return { name: ref.name, ...(ref.group ? { group: ref.group } : {}), kind: ref.plural };
}

/**
 * Maps any error to its Status. Errors Skiff does not know become 500 InternalError with a generic
 * message: the details go to the log, never to the client.
 */
export function statusOf(error: unknown): Status {
  if (error instanceof NotFoundError) return failure(404, 'NotFound', error.message, refDetails(error.ref));
  if (error instanceof AlreadyExistsError)
    return failure(409, 'AlreadyExists', error.message, refDetails(error.ref));
  if (error instanceof ConflictError) return failure(409, 'Conflict', error.message, refDetails(error.ref));
  // kube's NewApplyConflict: no object details, one FieldManagerConflict cause per field.
  if (error instanceof ApplyConflictError)
    return failure(409, 'Conflict', error.message, { causes: error.causes });
  if (error instanceof TooLargeError)
    return failure(413, 'RequestEntityTooLarge', error.message, {
      ...refDetails(error.ref),
      causes: [
        { reason: 'FieldValueTooLong', message: `must have at most ${error.limit} bytes`, field: '<root>' },
      ],
    });
  // kube's StatusReasonStoreReadError (KEP-3926); its wire value is StorageReadError.
  if (error instanceof CorruptObjectError)
    return failure(500, 'StorageReadError', error.message, {
      ...refDetails(error.ref),
      causes: [{ reason: 'UnexpectedServerResponse', message: error.problem, field: error.key }],
    });
  if (error instanceof UnprocessablePatchError) return failure(422, 'Invalid', error.message);
  if (error instanceof TooManyPatchOperationsError)
    return failure(413, 'RequestEntityTooLarge', error.message);
  if (error instanceof TooLargeRequestError) return failure(413, 'RequestEntityTooLarge', error.message);
  if (error instanceof NamespaceTerminatingError)
    return failure(403, 'Forbidden', error.message, {
      ...refDetails(error.ref),
      causes: [{ reason: 'NamespaceTerminating', message: error.message, field: 'metadata.namespace' }],
    });
  if (error instanceof ForbiddenFieldError)
    return failure(422, 'Invalid', error.message, {
      ...refDetails(error.ref),
      causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${error.detail}`, field: error.field }],
    });
  if (error instanceof InvalidObjectError)
    return failure(422, 'Invalid', error.message, {
      // kube omits an empty name (an option's error, a generateName create).
      ...(error.objectName ? { name: error.objectName } : {}),
      ...(error.group ? { group: error.group } : {}),
      // Empty for a patch that does not decode (kube's GroupKind{}): omitted, as kube omits it.
      ...(error.kind ? { kind: error.kind } : {}),
      causes: error.causes,
    });
  if (
    error instanceof StrictDecodingError ||
    error instanceof UndecodableObjectError ||
    error instanceof InvalidPatchError ||
    error instanceof InvalidSelectorError
  )
    return failure(400, 'BadRequest', error.message);
  if (error instanceof ExpiredError) return failure(410, 'Expired', error.message);
  if (error instanceof ResourceVersionTooLargeError)
    return failure(504, 'Timeout', error.message, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  if (error instanceof InvalidContinueTokenError)
    return failure(400, 'BadRequest', error.message, {
      causes: [{ reason: 'FieldValueInvalid', message: error.message, field: 'continue' }],
    });
  if (error instanceof BadRequestError)
    return failure(
      400,
      'BadRequest',
      error.message,
      error.field
        ? { causes: [{ reason: 'FieldValueInvalid', message: error.message, field: error.field }] }
        : undefined,
    );
  if (error instanceof RouteNotFoundError) return failure(404, 'NotFound', error.message);
  if (error instanceof MethodNotAllowedError) return failure(405, 'MethodNotAllowed', error.message);
  if (error instanceof UnsupportedMediaTypeError || error instanceof UnsupportedPatchTypeError)
    return failure(415, 'UnsupportedMediaType', error.message);
  if (error instanceof RangeFullError) return failure(500, 'InternalError', error.message);
  if (error instanceof DisruptionBudgetViolationError)
    return failure(429, 'TooManyRequests', error.message, {
      causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: error.budgetCause }],
      ...(error.retryAfterSeconds > 0 ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    });
  if (error instanceof DisruptionBudgetForbiddenError)
    return failure(403, 'Forbidden', error.message, {
      name: error.budgetName,
      group: 'policy',
      kind: 'poddisruptionbudgets',
    });
  if (error instanceof MultipleDisruptionBudgetsError)
    return failure(500, 'InternalError', error.message, { causes: [{ message: error.detail }] });
  if (error instanceof ServiceUnavailableError)
    return failure(
      503,
      'ServiceUnavailable',
      error.message,
      error.retryAfterSeconds === undefined ? undefined : { retryAfterSeconds: error.retryAfterSeconds },
    );
  return failure(500, 'InternalError', 'an error on the server has prevented the request from succeeding');
}
