import { createApiHandler } from '../../lib/api/api-handler';
import type { ApiResponse } from '../../lib/api/http';
import { StoredCustomKinds } from '../../lib/crd/stored-custom-kinds';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from './dynamo-engines';

/** A parsed answer from the API: status code, headers and the decoded JSON body. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  // Bodies are arbitrary Kubernetes JSON; tests read the fields they assert on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  body?: unknown;
  contentType?: string;
  accept?: string;
  query?: Record<string, string>;
}

/**
 * The API handler over a fresh table on the run's first DynamoDB engine (dynalite when present),
 * called directly with transport-free requests: the API's semantics without HTTP's noise.
 * `customKinds` serves the kinds of the CRDs written through it, as the local server does.
 */
export async function apiHarness(options: { customKinds?: boolean } = {}) {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('api');
  await createObjectTable(client, tableName);
  const store = new DynamoObjectStore({ client, tableName });
  const handle = createApiHandler({
    store,
    logError: () => undefined,
    ...(options.customKinds ? { customKinds: new StoredCustomKinds(store) } : {}),
  });
  const call = async (method: string, path: string, request: CallOptions = {}): Promise<Answer> => {
    const body =
      request.body === undefined
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body);
    const response: ApiResponse = await handle({
      method,
      path,
      query: request.query ?? {},
      headers: {
        'content-type': request.contentType ?? 'application/json',
        ...(request.accept ? { accept: request.accept } : {}),
      },
      body,
    });
    let parsed: unknown = response.body;
    if (response.headers['content-type'] === 'application/json') parsed = JSON.parse(response.body);
    return { status: response.statusCode, headers: response.headers, body: parsed };
  };
  return { call, store, close: () => client.destroy() };
}
