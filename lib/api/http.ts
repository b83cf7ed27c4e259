/**
 * The API's own request and response shapes, free of any transport: functions/api maps API Gateway
 * proxy events onto them and lib/local maps node:http onto them, so both serve identical answers.
 */
export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/apis/apps/v1/namespaces/default/deployments`. */
  path: string;
  /** Query parameters; a repeated parameter keeps its first value. */
  query: Record<string, string | undefined>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body, or undefined when there is none. */
  body?: string;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** A serialized body (JSON unless headers say otherwise). */
  body: string;
}
