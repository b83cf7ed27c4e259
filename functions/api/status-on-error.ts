import type middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ApiResponse } from '../../lib/api/http';
import { statusOf } from '../../lib/api/status';
import { jsonResponse } from '../../lib/api/verbs/verb-context';

/**
 * The API function's last error boundary: the API answers its own failures as Statuses, so an
 * error reaching middy is a bug in the mapping around it. It is logged (the request line only,
 * never a body, which may hold secrets) and answered as a 500 Status, mapped with `toResult` onto
 * what the handler returns (a proxy result for the buffered integration, the ApiResponse itself
 * for the streaming one), rather than API Gateway's bare 502.
 */
export function statusOnError<TEvent extends APIGatewayProxyEvent, TResult>(
  toResult: (response: ApiResponse) => TResult,
): middy.MiddlewareObj<TEvent, TResult> {
  return {
    onError: async (request) => {
      console.error(`${request.event.httpMethod} ${request.event.path} failed`, request.error);
      const status = statusOf(request.error);
      request.response = toResult(jsonResponse(status.code, status));
    },
  };
}
