import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { statusOf } from '../../lib/api/status';
import { jsonResponse } from '../../lib/api/verbs/verb-context';
import { toProxyResult } from './proxy-event';

/**
 * The API function's last error boundary: the API answers its own failures as Statuses, so an
 * error reaching middy is a bug in the mapping around it. It is logged (the request line only,
 * never a body, which may hold secrets) and answered as a 500 Status rather than API Gateway's
 * bare 502.
 */
export function statusOnError(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      console.error(`${request.event.httpMethod} ${request.event.path} failed`, request.error);
      const status = statusOf(request.error);
      request.response = toProxyResult(jsonResponse(status.code, status));
    },
  };
}
