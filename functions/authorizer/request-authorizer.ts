import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { toAuthorizerContext } from '../../lib/auth/authorizer-context';
import type { AuthenticateRequest } from '../../lib/auth/token-authenticator';

/**
 * API Gateway's word for "answer 401": a REQUEST authorizer that throws an error with exactly this
 * message makes API Gateway answer the UNAUTHORIZED gateway response (a Deny policy would be 403).
 */
export const UNAUTHORIZED = 'Unauthorized';

/**
 * The REQUEST authorizer: the Authorization header's EKS token verified and mapped to a user
 * (lib/auth/token-authenticator.ts), answered with an Allow for every method and path of the
 * stage (API Gateway caches the answer by token and reuses it for the token's other requests, so
 * it must not name one method) and the user in the context the API function reads. A refused
 * token throws UNAUTHORIZED; the reason is logged, never the token.
 */
export function requestAuthorizer(authenticate: AuthenticateRequest) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const result = await authenticate(event.headers);
    if ('refused' in result) {
      console.warn(JSON.stringify({ message: 'token refused', reason: result.refused }));
      throw new Error(UNAUTHORIZED);
    }
    return {
      principalId: result.user.name,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: stageArn(event.methodArn) }],
      },
      context: toAuthorizerContext(result.user),
    };
  };
}

/**
 * `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/*` from a method ARN
 * (`arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/GET/api/v1/pods`).
 */
export function stageArn(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  return `${api}/${stage}/*`;
}
