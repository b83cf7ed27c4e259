import { BadRequestError, TooLargeRequestError, UnsupportedMediaTypeError } from './errors';
import type { ApiRequest } from './http';
import { parseJsonText } from './json-text';

/** Bodies above this are refused before parsing (API Gateway's own cap is 10 MB). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

const BODY_TYPES = ['application/json'] as const;

/** The media type of a Content-Type header, without parameters, in lower case. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * Decodes a create or update body into a plain object. JSON only, as kubectl and every client
 * library send it (a YAML parser would double the Lambda bundle): anything else is
 * UnsupportedMediaType, an undecodable body BadRequest.
 */
export function readObjectBody(request: ApiRequest): Record<string, unknown> {
  const body = requireBody(request);
  const type = mediaTypeOf(request.headers['content-type']);
  let value: unknown;
  try {
    if (type === 'application/json' || type === '*/*') value = parseJsonText(body);
    else throw new UnsupportedMediaTypeError(type, BODY_TYPES);
  } catch (error) {
    if (error instanceof UnsupportedMediaTypeError) throw error;
    throw new BadRequestError(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadRequestError('the body of the request must be an object');
  return value as Record<string, unknown>;
}

/** The raw body, refused when missing or too large. */
export function requireBody(request: ApiRequest): string {
  const body = request.body;
  if (body === undefined || body.trim() === '') throw new BadRequestError('the body of the request is empty');
  if (Buffer.byteLength(body) > MAX_REQUEST_BYTES) throw new TooLargeRequestError(MAX_REQUEST_BYTES);
  return body;
}
