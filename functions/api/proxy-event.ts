import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '../../lib/api/http';
import { cancelStream } from '../../lib/api/pipe-stream';

/**
 * Maps an API Gateway REST (v1) proxy event onto the transport-free ApiRequest, so the API sees
 * the same request whether it arrives through API Gateway or through `npm start`'s node:http.
 */
export function toApiRequest(event: APIGatewayProxyEvent): ApiRequest {
  return {
    method: event.httpMethod,
    path: event.path,
    query: firstValues(event.queryStringParameters, event.multiValueQueryStringParameters),
    headers: lowerCaseHeaders(event.headers, event.multiValueHeaders),
    body: decodeBody(event),
    ...(event.isBase64Encoded && event.body ? { bodyBytes: Buffer.from(event.body, 'base64') } : {}),
  };
}

/** A streamed response reached the buffered integration, which can only return a whole body. */
export class StreamingIntegrationRequiredError extends Error {
  constructor() {
    super('a streamed response needs the streaming integration (streamingHandler)');
  }
}

/**
 * Maps the API's answer back onto the proxy integration's result; bodies are always text (JSON).
 * A streamed response cannot be carried: its producer is stopped and the error thrown.
 */
export function toProxyResult(response: ApiResponse): APIGatewayProxyResult {
  if (response.stream) {
    cancelStream(response.stream);
    throw new StreamingIntegrationRequiredError();
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = asciiHeaderValue(value);
  if (response.bodyBytes)
    return {
      statusCode: response.statusCode,
      headers,
      body: Buffer.from(response.bodyBytes).toString('base64'),
      isBase64Encoded: true,
    };
  return {
    statusCode: response.statusCode,
    headers,
    body: response.body,
    isBase64Encoded: false,
  };
}

type Single = Record<string, string | undefined> | null;
type Multi = Record<string, string[] | undefined> | null;

/** A repeated parameter keeps its first value (API Gateway's single-value map keeps the last). */
function firstValues(single: Single, multi: Multi): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = { ...single };
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (values?.length) query[name] = values[0];
  }
  return query;
}

/** Repeated headers are joined with ", " as HTTP allows, rather than keeping only the last. */
function lowerCaseHeaders(single: Single, multi: Multi): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(single ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (values?.length) headers[name.toLowerCase()] = values.join(', ');
  }
  return headers;
}

function decodeBody(event: APIGatewayProxyEvent): string | undefined {
  if (event.body === null || event.body === undefined) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/**
 * A header value API Gateway can pass on. kube-apiserver writes UTF-8 bytes into headers (a
 * Warning may quote a field name in any script), and the local server does the same, but API
 * Gateway documents no handling of non-ASCII header values from a proxy integration (a malformed
 * proxy response becomes a 502). So on Lambda, characters outside printable ASCII are written as
 * Go's `%q` writes them: `\u2603`, `\U0001f600`.
 */
export function asciiHeaderValue(value: string): string {
  return value.replace(/[^\x20-\x7e]/gu, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
