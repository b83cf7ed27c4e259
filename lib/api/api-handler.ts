import type { ObjectStore } from '../store/object-store';
import type { ApiRequest, ApiResponse } from './http';

export interface ApiDependencies {
  store: ObjectStore;
}

/** Builds the transport-free Kubernetes API: one function from request to response. (stub, being written) */
export function createApiHandler(_deps: ApiDependencies): (request: ApiRequest) => Promise<ApiResponse> {
  return async () => ({ statusCode: 501, headers: {}, body: '' });
}
