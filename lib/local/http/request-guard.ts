import { failure, type Status } from '../../api/status';

/** The request headers the guard reads, names in lower case. */
export type GuardedHeaders = Record<string, string | string[] | undefined>;

/** Host names the local server answers to: loopback only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Methods a web page can send across origins without a CORS preflight and with a body: POST only
 * (PUT and PATCH always need a preflight, which the server never grants). client-go's scale
 * client sends its PUT without a Content-Type (`kubectl scale --current-replicas`), as
 * kube-apiserver allows, so only POST is held to one.
 */
const BODY_METHODS = new Set(['POST']);

/**
 * Refuses what only a web browser, tricked by a page the user visits, would send to the local
 * control plane; kubectl and client libraries never send any of it. The local server has no
 * authentication (it listens on 127.0.0.1 only), so a page must not be able to reach it:
 *
 * - a `Host` other than localhost, 127.0.0.1 or [::1] (with any port): DNS rebinding, where an
 *   attacker's name resolves to 127.0.0.1, arrives with the attacker's host name (403);
 * - an `Origin` other than the server's own, or `Sec-Fetch-Site` saying the request crosses sites:
 *   a cross-origin `fetch` or form post (403);
 * - a body without a `Content-Type` on POST (415): a page can send a typeless blob
 *   without a CORS preflight. kube-apiserver reads such a body as JSON; the local server does not.
 *
 * Development servers such as Vite and webpack's refuse unknown hosts the same way. Returns the
 * Status to answer with, or undefined to serve the request.
 */
export function refuseUnsafeRequest(method: string, headers: GuardedHeaders): Status | undefined {
  const host = single(headers.host);
  if (host !== undefined && !LOOPBACK_HOSTS.has(hostName(host)))
    return failure(
      403,
      'Forbidden',
      `host "${printable(host)}" is not allowed: the local control plane answers to localhost, 127.0.0.1 and [::1] only`,
    );
  const origin = single(headers.origin);
  if (origin !== undefined && origin !== `http://${host ?? ''}`)
    return failure(
      403,
      'Forbidden',
      `cross-origin request from "${printable(origin)}" refused: the local control plane serves no web pages`,
    );
  const site = single(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return failure(403, 'Forbidden', `request from a ${printable(site)} web page refused`);
  if (BODY_METHODS.has(method) && single(headers['content-type']) === undefined)
    return failure(
      415,
      'UnsupportedMediaType',
      'the request has no Content-Type: send the body as application/json (or a patch media type)',
    );
  return undefined;
}

/** `localhost:8080` -> `localhost`, `[::1]:8080` -> `[::1]`, in lower case. */
function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A header value quoted in an error message: printable ASCII only, and short. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
