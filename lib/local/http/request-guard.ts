import { failure, type Status } from '../../api/status';

/** The request headers the guard reads, names in lower case. */
export type GuardedHeaders = Record<string, string | string[] | undefined>;

/** Host names the local server answers to: loopback only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Refuses what only a web browser, tricked by a page the user visits, would send to the local
 * control plane; kubectl and client libraries never send any of it. The local server has no
 * authentication (it listens on 127.0.0.1 only), so a page must not be able to reach it:
 *
 * - a `Host` other than localhost, 127.0.0.1 or [::1] (with any port): DNS rebinding, where an
 *   attacker's name resolves to 127.0.0.1, arrives with the attacker's host name (403);
 * - an `Origin` other than the server's own, or `Sec-Fetch-Site` saying the request crosses sites:
 *   a cross-origin `fetch` or form post (403). Browsers send `Origin` on every POST, also one a
 *   page sends without a CORS preflight (a form, or a blob without a type).
 *
 * A body without a `Content-Type` is read as JSON, as kube-apiserver reads it: the official
 * Python client (37.x) creates objects with such POSTs.
 *
 * Development servers such as Vite and webpack's refuse unknown hosts the same way. Returns the
 * Status to answer with, or undefined to serve the request.
 */
export function refuseUnsafeRequest(headers: GuardedHeaders): Status | undefined {
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
