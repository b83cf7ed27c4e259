import { stringify } from 'yaml';
import type { ApiRequest, ApiResponse } from '../http';
import { preferredFormat } from './accept';
import { encodeObject, PROTOBUF } from './envelope';
import { protobufWatch } from './watch-frames';

export interface FormatOptions {
  /** Whether the route's kind has a protobuf message (built-in kinds do, custom resources do not). */
  protobuf: boolean;
  /** Where a JSON answer that could not be written in protobuf is reported (then sent in JSON). */
  logError?: (message: string, error: unknown) => void;
}

/**
 * Writes a JSON answer in the format the request's Accept asks for: protobuf (objects, lists and
 * Status errors in kube's envelope; watches as length-prefixed WatchEvent frames, content type
 * `application/vnd.kubernetes.protobuf;stream=watch`) or YAML (not for watches, which kube does not
 * stream in YAML). JSON answers for JSON requests pass through untouched, as do answers that are
 * not JSON (logs, health) and objects without a protobuf message.
 */
export function formatResponse(
  request: ApiRequest,
  response: ApiResponse,
  options: FormatOptions,
): ApiResponse {
  if (response.headers['content-type'] !== 'application/json') return response;
  const format = preferredFormat(request.headers.accept, options.protobuf || !response.stream);
  if (format === 'json') return response;
  if (response.stream) {
    if (format !== 'protobuf') return response;
    const headers = { ...response.headers, 'content-type': `${PROTOBUF};stream=watch` };
    return { ...response, headers, stream: protobufWatch(response.stream) };
  }
  if (response.body === '') return response;
  const value = JSON.parse(response.body) as unknown;
  if (format === 'yaml')
    return {
      ...response,
      headers: { ...response.headers, 'content-type': 'application/yaml' },
      body: stringify(value),
    };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return response;
  let bytes: Uint8Array | undefined;
  try {
    bytes = encodeObject(value as Record<string, unknown>);
  } catch (error) {
    options.logError?.(
      `${request.method} ${request.path}: the answer could not be written in protobuf`,
      error,
    );
  }
  if (!bytes) return response;
  return {
    ...response,
    headers: { ...response.headers, 'content-type': PROTOBUF },
    body: '',
    bodyBytes: bytes,
  };
}
