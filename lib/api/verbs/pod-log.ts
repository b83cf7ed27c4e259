import { InvalidObjectError } from '../../kinds/errors';
import type { KubeObject } from '../../kinds/meta';
import { NodeKind } from '../../kinds/node';
import { PodKind, type Pod } from '../../kinds/pod';
import {
  decodeLogQuery,
  logQueryString,
  LogQueryDecodeError,
  type PodLogQuery,
} from '../../kinds/pod-log-options';
import { BadRequestError } from '../errors';
import type { ApiRequest, ApiResponse, BodyChunk } from '../http';
import { failure } from '../status';
import { jsonResponse, type VerbContext } from './verb-context';

/** kubectl's annotation naming the container `kubectl logs` and `exec` pick when none is given. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** How much of an agent's error answer is read, as kube-apiserver's response checker reads. */
const MAX_ERROR_BYTES = 50_000;

/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: a container's log, proxied from the agent of the
 * pod's node as kube-apiserver proxies it from the kubelet (LogREST, LogLocation). The query is
 * PodLogOptions (container, follow, previous, timestamps, tailLines, limitBytes, sinceSeconds,
 * sinceTime): 400 when a value cannot be decoded, 422 when kube's validation refuses it. The
 * container is the one named, else the pod's only one, else the one the
 * `kubectl.kubernetes.io/default-container` annotation names (kubectl's choice, made here too);
 * otherwise 400. A pod no node runs yet answers 204 with no body, as kube-apiserver does. The
 * agent is reached at the Node's InternalIP and `status.daemonEndpoints.kubeletEndpoint.Port`,
 * path `/containerLogs/{ns}/{pod}/{container}`; its answer is relayed as text/plain, streamed as
 * it comes (so `follow` lasts until the container ends or the client goes away).
 */
export async function podLog({ route, request, store }: VerbContext): Promise<ApiResponse> {
  const name = route.name ?? '';
  const namespace = route.namespace ?? '';
  const query = logQueryOf(request, name);
  const pod = (await store.get(PodKind, namespace, name)) as unknown as Pod;
  const container = containerOf(pod, query.container);
  if (!pod.spec.nodeName) return { statusCode: 204, headers: {}, body: '' };
  const node = await store.get(NodeKind, undefined, pod.spec.nodeName);
  const address = agentAddress(node);
  if (!('host' in address)) return jsonResponse(500, failure(500, 'InternalError', address.unreachable));
  const segments = [namespace, name, container].map(encodeURIComponent).join('/');
  const search = logQueryString(query);
  const url = `http://${address.host}/containerLogs/${segments}${search ? `?${search}` : ''}`;
  return relayLog(url, request.signal);
}

function logQueryOf(request: ApiRequest, name: string): PodLogQuery {
  let decoded;
  try {
    decoded = decodeLogQuery(request.query);
  } catch (error) {
    if (error instanceof LogQueryDecodeError) throw new BadRequestError(error.message, error.field);
    throw error;
  }
  if (decoded.problems.length > 0)
    throw new InvalidObjectError({ kind: 'PodLogOptions', group: '' }, name, decoded.problems);
  return decoded.query;
}

/** kube's validateContainer, with kubectl's default-container annotation before giving up. */
function containerOf(pod: Pod, asked: string | undefined): string {
  const name = pod.metadata.name ?? '';
  const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
  const containers = names(pod.spec.containers);
  const init = names(pod.spec.initContainers);
  const ephemeral = names((pod.spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers);
  if (asked !== undefined) {
    if (![...containers, ...init, ...ephemeral].includes(asked))
      throw new BadRequestError(`container ${asked} is not valid for pod ${name}`);
    return asked;
  }
  if (containers.length === 1) return containers[0];
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && containers.includes(annotated)) return annotated;
  if (containers.length === 0)
    throw new BadRequestError(`a container name must be specified for pod ${name}`);
  const choices = `choose one of: [${containers.join(' ')}]`;
  const initChoices = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
  throw new BadRequestError(`a container name must be specified for pod ${name}, ${choices}${initChoices}`);
}

interface NodeShape {
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/**
 * `host:port` of the node's agent, its InternalIP and the port it registered; or why there is
 * none (kube-apiserver's words when no address fits), answered 500 InternalError as kube does.
 */
function agentAddress(node: KubeObject): { host: string } | { unreachable: string } {
  const { status } = node as KubeObject & NodeShape;
  const addresses = status?.addresses ?? [];
  const ip = addresses.find((a) => a.type === 'InternalIP')?.address;
  if (!ip) {
    const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(' ');
    return { unreachable: `no preferred addresses found; known addresses: [${known}]` };
  }
  const port = status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!port)
    return {
      unreachable: `node ${node.metadata.name ?? ''} has no agent port (status.daemonEndpoints.kubeletEndpoint.Port)`,
    };
  return { host: ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}` };
}

/**
 * Asks the agent and relays its answer: a success streamed as text/plain, a failure as the Status
 * it sent (or one made of its text). Aborting `signal` (the client went away) ends the request to
 * the agent too, even while it waits for the next line.
 */
async function relayLog(url: string, signal: AbortSignal | undefined): Promise<ApiResponse> {
  const upstream = new AbortController();
  const abort = () => upstream.abort();
  signal?.addEventListener('abort', abort, { once: true });
  let response: Response;
  try {
    if (signal?.aborted) abort();
    response = await fetch(url, { signal: upstream.signal });
  } catch (error) {
    signal?.removeEventListener('abort', abort);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    return jsonResponse(500, failure(500, 'InternalError', `Get "${url}": ${detail}`));
  }
  if (!response.ok || !response.body) {
    signal?.removeEventListener('abort', abort);
    return agentFailure(response);
  }
  const body = response.body;
  async function* chunks(): AsyncGenerator<BodyChunk> {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      abort();
    }
  }
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '', stream: chunks() };
}

/** kube's GenericHttpResponseChecker: the agent's failure as a Status of the same code. */
async function agentFailure(response: Response): Promise<ApiResponse> {
  const text = (await response.text()).slice(0, MAX_ERROR_BYTES);
  let status: { message?: unknown; reason?: unknown } | undefined;
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    status = undefined;
  }
  const message = typeof status?.message === 'string' ? status.message : text;
  const code = response.status;
  const reason =
    typeof status?.reason === 'string'
      ? status.reason
      : code === 400
        ? 'BadRequest'
        : code === 404
          ? 'NotFound'
          : 'InternalError';
  return jsonResponse(code, failure(code, reason, message));
}
