import { parseYamlText } from './yaml-text';
import { BadRequestError, TooLargeRequestError, UnsupportedMediaTypeError } from './errors';
import type { ApiRequest } from './http';
import { parseJsonText } from './json-text';
import { decodeObject, PROTOBUF } from './protobuf/envelope';

/** Bodies above this are refused before parsing (API Gateway's own cap is 10 MB). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/** What kube-apiserver lists as accepted bodies: built-in kinds, and custom resources (no protobuf). */
const BODY_TYPES = ['application/json', 'application/yaml', PROTOBUF] as const;
const CUSTOM_BODY_TYPES = ['application/json', 'application/yaml'] as const;
/** Methods whose body is an object (or DeleteOptions) in the request's media type; PATCH names its patch type instead. */
const OBJECT_BODY_METHODS = new Set(['POST', 'PUT', 'DELETE']);

/** The media type of a Content-Type header, without parameters, in lower case. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * Decodes a create or update body into a plain object. The API handler has already made protobuf
 * and YAML bodies JSON (asJsonRequest): anything else is UnsupportedMediaType, an undecodable body
 * BadRequest.
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

/**
 * A request whose object body is protobuf (`application/vnd.kubernetes.protobuf`, kube's envelope)
 * or YAML (`application/yaml`) made into the same request in JSON, so that every verb reads one
 * format, as kube-apiserver decodes every format into the same object before its handlers run.
 * JSON requests, PATCH and bodiless requests are returned as they are. Protobuf is refused (415)
 * for kinds without a protobuf message (custom resources), except DeleteOptions on DELETE, which
 * every group version takes; an undecodable body is 400.
 *
 * @param protobuf whether the route's kind has a protobuf message (see protobuf/envelope.ts speaksProtobuf)
 */
export function asJsonRequest(request: ApiRequest, protobuf: boolean): ApiRequest {
  if (!OBJECT_BODY_METHODS.has(request.method)) return request;
  const type = mediaTypeOf(request.headers['content-type']);
  if (type !== PROTOBUF && type !== 'application/yaml') return request;
  if (type === PROTOBUF && !protobuf && request.method !== 'DELETE')
    throw new UnsupportedMediaTypeError(type, CUSTOM_BODY_TYPES);
  const bytes = request.bodyBytes ?? Buffer.from(request.body ?? '', 'utf8');
  if (bytes.length === 0) return request;
  if (bytes.length > MAX_REQUEST_BYTES) throw new TooLargeRequestError(MAX_REQUEST_BYTES);
  let value: unknown;
  try {
    value = type === PROTOBUF ? decodeObject(bytes) : parseJsonText(JSON.stringify(yamlValue(bytes)));
  } catch (error) {
    if (error instanceof TooLargeRequestError) throw error;
    throw new BadRequestError(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
  const body = JSON.stringify(value ?? null);
  const headers = { ...request.headers, 'content-type': 'application/json' };
  // kube's protobuf decoder is never strict: every field of kube's schema is known to it. Fields
  // Skiff's schema of the kind lacks are dropped with a warning rather than refused.
  const query =
    type === PROTOBUF && request.query.fieldValidation === 'Strict'
      ? { ...request.query, fieldValidation: 'Warn' }
      : request.query;
  return { ...request, query, headers, body, bodyBytes: Buffer.from(body) };
}

/** One YAML document as JSON values (yaml-text.ts: aliases bounded, deep flows refused). */
function yamlValue(bytes: Uint8Array): unknown {
  return parseYamlText(Buffer.from(bytes).toString('utf8'));
}
