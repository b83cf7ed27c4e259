import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SERVER_VERSION } from '../../api/server-version';
import { dialError } from './tcp-probe';
import type { ProbeOutcome } from './probe-target';

/** The User-Agent the kubelet's prober sends unless the probe sets one. */
export const PROBE_USER_AGENT = `kube-probe/${SERVER_VERSION.major}.${SERVER_VERSION.minor}`;
/** The most of a response body the kubelet reads. */
const MAX_BODY_BYTES = 10 * 1024;
/** Go's http.Client gives up after this many redirects. */
const MAX_REDIRECTS = 10;

export interface HttpProbeRequest {
  /** The probe's URL: scheme, host (the pod IP unless the probe names one), port and path. */
  url: URL;
  headers: readonly { name: string; value: string }[];
  timeoutSeconds: number;
}

/**
 * An httpGet probe as the kubelet makes it (pkg/probe/http): a GET with the probe's headers,
 * `User-Agent: kube-probe/<major>.<minor>` and `Accept: *\/*` unless the probe sets them (an empty
 * Accept removes it), a `Host` header as the request's host; HTTPS without certificate checks.
 * Status 200–399 is success, anything else failure (`HTTP probe failed with statuscode: 503`).
 * Redirects to the same host are followed (at most 10); a redirect elsewhere is not, and counts as
 * success with a warning, as `followNonLocalRedirects: false` has it. One timeout covers the whole
 * exchange; errors read as Go's client words them.
 */
export async function httpProbe(probe: HttpProbeRequest): Promise<ProbeOutcome> {
  const deadline = new AbortController();
  let phase: 'headers' | 'body' = 'headers';
  let current = probe.url;
  const timer = setTimeout(() => deadline.abort(), probe.timeoutSeconds * 1000);
  timer.unref();
  try {
    for (let redirects = 0; ; redirects++) {
      phase = 'headers';
      const response = await get(current, headersFor(probe, current), deadline.signal);
      phase = 'body';
      const body = await readAtMost(response, MAX_BODY_BYTES);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (isRedirect(status) && location !== undefined) {
        const next = new URL(location, current);
        if (next.hostname === probe.url.hostname) {
          if (redirects + 1 >= MAX_REDIRECTS)
            return failure(`Get ${quote(next)}: stopped after 10 redirects`);
          current = next;
          continue;
        }
      }
      if (status >= 200 && status < 300) return { result: 'success' };
      if (status >= 300 && status < 400)
        return { result: 'success', message: `Probe terminated redirects, Response body: ${body}` };
      return failure(`HTTP probe failed with statuscode: ${status}`);
    }
  } catch (error) {
    if (deadline.signal.aborted) {
      const when =
        phase === 'headers'
          ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
          : 'context deadline exceeded (Client.Timeout or context cancellation while reading body)';
      return failure(`Get ${quote(current)}: ${when}`);
    }
    const reason = dialError(error as NodeJS.ErrnoException);
    const dial = reason.startsWith('connect:') ? `dial tcp ${current.host}: ${reason}` : reason;
    return failure(`Get ${quote(current)}: ${dial}`);
  } finally {
    clearTimeout(timer);
  }
}

function failure(message: string): ProbeOutcome {
  return { result: 'failure', message };
}

/** A URL as Go's %q prints it in a client error. */
function quote(url: URL): string {
  return JSON.stringify(url.href);
}

/** The statuses Go's client follows with a Location. */
function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

/**
 * The probe's headers (repeated names joined, as a Header with several values is sent), with the
 * prober's User-Agent and Accept unless set; Host kept for the first host only, as Go keeps it.
 */
function headersFor(probe: HttpProbeRequest, url: URL): OutgoingHttpHeaders {
  const headers: Record<string, string[]> = {};
  for (const { name, value } of probe.headers) (headers[canonical(name)] ??= []).push(value);
  if (!('User-Agent' in headers)) headers['User-Agent'] = [PROBE_USER_AGENT];
  if (!('Accept' in headers)) headers.Accept = ['*/*'];
  else if (headers.Accept[0] === '') delete headers.Accept;
  const host = headers.Host?.[0];
  delete headers.Host;
  const outgoing: OutgoingHttpHeaders = {};
  for (const [name, values] of Object.entries(headers))
    outgoing[name] = values.length === 1 ? values[0] : values;
  if (host && url.host === probe.url.host) outgoing.Host = host;
  return outgoing;
}

/** A header name in Go's canonical form: `x-custom-header` is `X-Custom-Header`. */
function canonical(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}

function get(url: URL, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'GET',
      headers,
      signal,
      agent: false, // no keep-alive, as the kubelet's transport
      rejectUnauthorized: false,
    });
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** The first `limit` bytes of a body as text; the rest is not read (ReadAtMost). */
function readAtMost(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        response.destroy();
        done();
      }
    });
    response.once('end', done);
    response.once('error', reject);
    response.once('close', () => {
      if (!response.complete) reject(new Error('unexpected EOF'));
    });
  });
}
