import { createApiHandler } from '../../lib/api/api-handler';
import type { ApiResponse } from '../../lib/api/http';
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
 */
export async function apiHarness() {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('api');
  await createObjectTable(client, tableName);
  const store = new DynamoObjectStore({ client, tableName });
  const handle = createApiHandler({ store, logError: () => undefined });
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Answer> => {
    const body =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const response: ApiResponse = await handle({
      method,
      path,
      query: options.query ?? {},
      headers: {
        'content-type': options.contentType ?? 'application/json',
        ...(options.accept ? { accept: options.accept } : {}),
      },
      body,
    });
    let parsed: unknown = response.body;
    if (response.headers['content-type'] === 'application/json') parsed = JSON.parse(response.body);
    return { status: response.statusCode, headers: response.headers, body: parsed };
  };
  return { call, store, close: () => client.destroy() };
}
