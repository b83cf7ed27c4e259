/** A request target the server cannot read (answered 400, as Go's net/http does for kube-apiserver). */
export class InvalidRequestTargetError extends Error {
  constructor(target: string) {
    super(`invalid request target "${target.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)}"`);
  }
}

export interface RequestTarget {
  /** The path, still percent-encoded (the API's router decodes each segment). */
  path: string;
  /** Query parameters; a repeated parameter keeps its first value. */
  query: Record<string, string>;
}

/**
 * Splits an HTTP/1.1 request target into path and query. Origin form (`/api/v1?x=y`) is what
 * clients send; absolute form (`http://host/api/v1`) is allowed as RFC 9112 requires; anything
 * else, or an absolute form that is not a URL, throws InvalidRequestTargetError instead of
 * escaping as a TypeError.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget {
  const raw = target ?? '/';
  let pathAndQuery = raw;
  if (!raw.startsWith('/')) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidRequestTargetError(raw);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidRequestTargetError(raw);
    pathAndQuery = url.pathname + url.search;
  }
  const mark = pathAndQuery.indexOf('?');
  const path = mark === -1 ? pathAndQuery : pathAndQuery.slice(0, mark);
  // A Map, then own properties: a parameter named `__proto__` or `constructor` stays a parameter.
  const first = new Map<string, string>();
  if (mark !== -1)
    for (const [key, value] of new URLSearchParams(pathAndQuery.slice(mark + 1)))
      if (!first.has(key)) first.set(key, value);
  return { path, query: Object.fromEntries(first) };
}
