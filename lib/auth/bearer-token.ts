import { failure, type Status } from '../api/status';

/**
 * The bearer token of a request's Authorization header, read as kube-apiserver's bearertoken
 * authenticator reads it: the header trimmed, split on spaces, the scheme `bearer` in any case,
 * the token the second part and not empty. Headers are matched in any case, as API Gateway and
 * Lambda hand them over as the client sent them. Undefined when there is none: the request is
 * anonymous, which the caller refuses on AWS.
 */
export function bearerToken(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
): string | undefined {
  const name = Object.keys(headers ?? {}).find((key) => key.toLowerCase() === 'authorization');
  const value = name === undefined ? undefined : headers?.[name]?.trim();
  if (value === undefined) return undefined;
  const parts = value.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  const token = parts[1]!;
  return token === '' ? undefined : token;
}

/** kube-apiserver's answer to a request it cannot authenticate: 401 with this Status. */
export function unauthorizedStatus(): Status {
  return failure(401, 'Unauthorized', 'Unauthorized');
}
