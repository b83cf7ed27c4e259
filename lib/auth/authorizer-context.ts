import type { UserInfo } from '../authz/decision';

/**
 * The identity an API Gateway Lambda authorizer hands the integration. Its context may hold only
 * strings, numbers and booleans, so groups travel as a JSON array; API Gateway passes the context
 * to the API function as `event.requestContext.authorizer`, beside the policy's principalId.
 */
export interface AuthorizerContext {
  [key: string]: string;
  username: string;
  uid: string;
  /** JSON array of group names. */
  groups: string;
  /** The ARN STS answered, for audit. */
  arn: string;
}

/** The context an authorizer returns for a user. */
export function toAuthorizerContext(user: UserInfo): AuthorizerContext {
  return {
    username: user.name,
    uid: user.uid ?? '',
    groups: JSON.stringify(user.groups),
    arn: user.extra?.arn?.[0] ?? '',
  };
}

/**
 * The user in an integration request's authorizer context, or undefined when no authorizer set
 * one (LocalStack's community edition may not run authorizers): the API function then
 * authenticates the request itself, never trusting a missing or partial context.
 */
export function fromAuthorizerContext(context: unknown): UserInfo | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const { username, uid, groups, arn } = context as Record<string, unknown>;
  if (typeof username !== 'string' || username === '' || typeof groups !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(groups);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((g) => typeof g === 'string')) return undefined;
  return {
    name: username,
    groups: parsed as string[],
    ...(typeof uid === 'string' && uid !== '' ? { uid } : {}),
    ...(typeof arn === 'string' && arn !== '' ? { extra: { arn: [arn] } } : {}),
  };
}
