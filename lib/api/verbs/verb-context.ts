import type { ObjectStore } from '../../store/object-store';
import type { ApiRequest, ApiResponse } from '../http';
import { toJson } from '../to-json';
import { warningHeader } from '../warning-header';
import { GoValue, unsupportedValue } from '../../kinds/field-error';
import { invalidOptions, writeOptionsKind } from './invalid-options';
import type { ResourceRoute } from '../route';
import type { WatchSettings } from './watch-objects';

/** What every verb handler receives: the parsed route, the raw request and the store. */
export interface VerbContext {
  route: ResourceRoute;
  request: ApiRequest;
  store: ObjectStore;
  /** Where watches read changes; without it, `watch=true` answers 405. */
  watch?: WatchSettings;
}

export type VerbHandler = (context: VerbContext) => Promise<ApiResponse>;

/** A JSON response; warnings become the `Warning` header, as kube-apiserver writes it (warning-header.ts). */
export function jsonResponse(statusCode: number, body: unknown, warnings: string[] = []): ApiResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const warning = warningHeader(warnings);
  if (warning !== undefined) headers['warning'] = warning;
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
    // kube's ValidateDryRun: 422 Invalid, the values printed as Go prints the []string.
    throw invalidOptions(
      request.method === 'DELETE' ? 'DeleteOptions' : writeOptionsKind(request.method),
      'dryRun',
      unsupportedValue(new GoValue(`[]string{${JSON.stringify(value)}}`), ['All']),
    );
  return true;
}
