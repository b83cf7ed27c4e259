import type { UserInfo } from '../authz/decision';
import { bearerToken } from './bearer-token';
import type { ObjectStore } from '../store/object-store';
import type { AuthConfig } from './auth-config';
import { EksTokenVerifier, TokenError, type AwsIdentity } from './eks-token';
import { identityMapper, type MapIdentity } from './identity-mapper';

/** What authenticating a request found: its user, or why it is refused (401; the reason is for logs only). */
export type Authentication =
  { readonly user: UserInfo; readonly identity: AwsIdentity } | { readonly refused: string };

/** Verifies a token (EksTokenVerifier.verify): throws TokenError when it is not good. */
export type VerifyToken = (token: string) => Promise<AwsIdentity>;

/**
 * kube-apiserver's bearer-token authentication on AWS, shared by the API Gateway authorizer and
 * the API function (which re-checks when no authorizer ran, as under LocalStack's community
 * edition): the Authorization header's token verified as an EKS token, then mapped through the
 * access entries. A missing, malformed, expired or refused token, and a principal no entry maps,
 * are refused; anything else failing (the store, STS unreachable in a way that is not STS's
 * answer) throws, so the caller answers 500 rather than a misleading 401.
 */
export function tokenAuthenticator(options: { verify: VerifyToken; map: MapIdentity }) {
  return async (headers: Readonly<Record<string, string | undefined>> | null | undefined) => {
    const token = bearerToken(headers);
    if (token === undefined) return { refused: 'no bearer token' } satisfies Authentication;
    let identity: AwsIdentity;
    try {
      identity = await options.verify(token);
    } catch (error) {
      if (error instanceof TokenError) return { refused: error.message } satisfies Authentication;
      throw error;
    }
    const user = await options.map(identity);
    if (user === undefined)
      return { refused: `no access entry maps ${identity.arn}` } satisfies Authentication;
    return { user, identity } satisfies Authentication;
  };
}

export type AuthenticateRequest = ReturnType<typeof tokenAuthenticator>;

/**
 * The authenticator both AWS entry points build at cold start from their configuration: an
 * EksTokenVerifier for the cluster's name (its cache of verified tokens lives as long as the
 * container) over the identity mapper for the stored access entries and the stack's built-in ones.
 */
export function eksTokenAuthenticator(
  store: ObjectStore,
  config: AuthConfig,
  options: { fetch?: typeof globalThis.fetch; cacheMs?: number } = {},
): AuthenticateRequest {
  const verifier = new EksTokenVerifier({
    clusterName: config.clusterName,
    ...(config.stsEndpointOverride ? { stsEndpointOverride: config.stsEndpointOverride } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return tokenAuthenticator({
    verify: (token) => verifier.verify(token),
    map: identityMapper({
      store,
      ...(config.adminPrincipalArn ? { adminPrincipalArn: config.adminPrincipalArn } : {}),
      ...(config.nodeRoleArn ? { nodeRoleArn: config.nodeRoleArn } : {}),
      ...(config.operators ? { operators: config.operators } : {}),
      ...(options.cacheMs === undefined ? {} : { cacheMs: options.cacheMs }),
    }),
  });
}
