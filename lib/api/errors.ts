/**
 * Errors raised by the API layer itself (the store and the kinds have their own); each maps to one
 * Kubernetes Status reason in status.ts.
 */

/** The request is malformed: undecodable body, mismatched kind or namespace, bad selector. */
export class BadRequestError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No route matches the path: answered as kube does, `the server could not find the requested resource`. */
export class RouteNotFoundError extends Error {
  constructor() {
    super('the server could not find the requested resource');
  }
}

export class MethodNotAllowedError extends Error {
  constructor(method: string, what: string) {
    super(`the server does not allow this method on the requested resource (${method} ${what})`);
  }
}

export class UnsupportedMediaTypeError extends Error {
  constructor(contentType: string, supported: readonly string[]) {
    super(
      `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')} (got ${contentType})`,
    );
  }
}

/** A request body over the API's size limit, refused before it is parsed (413). */
export class TooLargeRequestError extends Error {
  constructor(readonly limit: number) {
    super(`Request entity too large: limit is ${limit}`);
  }
}

/**
 * The server cannot answer yet, for a reason that passes by itself (503, kube's
 * StatusReasonServiceUnavailable): the client should retry after `retryAfterSeconds`.
 */
export class ServiceUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
