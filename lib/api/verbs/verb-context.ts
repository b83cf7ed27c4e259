import type { ObjectStore } from '../../store/object-store';
import type { ApiRequest, ApiResponse } from '../http';
import { toJson } from '../to-json';
import { BadRequestError } from '../errors';
import type { ResourceRoute } from '../route';

/** What every verb handler receives: the parsed route, the raw request and the store. */
export interface VerbContext {
  route: ResourceRoute;
  request: ApiRequest;
  store: ObjectStore;
}

export type VerbHandler = (context: VerbContext) => Promise<ApiResponse>;

/** A JSON response; warnings become one `Warning` header in kube's `299 - "text"` form. */
export function jsonResponse(statusCode: number, body: unknown, warnings: string[] = []): ApiResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (warnings.length > 0)
    headers['warning'] = warnings.map((w) => `299 - "${w.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(', ');
  return { statusCode, headers, body: toJson(body) };
}

/**
 * Whether the request asks for a dry run (`dryRun=All`): validate and answer, but store nothing.
 * `All` is the only value kube accepts; anything else is refused rather than silently written.
 */
export function isDryRun(request: ApiRequest): boolean {
  const value = request.query.dryRun;
  if (value === undefined || value === '') return false;
  if (value !== 'All')
    throw new BadRequestError(`Unsupported value: "${value}": supported values: "All"`, 'dryRun');
  return true;
}
