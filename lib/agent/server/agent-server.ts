import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from '../../kinds/pod';
import { decodeLogQuery, LogQueryDecodeError } from '../../kinds/pod-log-options';
import type { ContainerRuntime } from '../runtime/container-runtime';
import { ContainerLogNotFoundError } from '../runtime/container-log-reader';
import { servedLog } from './served-log';

/** A pod the agent runs, as its server needs it. */
export interface ServedPod {
  uid: string;
  /** Every container of the pod that may have a log: init containers and app containers. */
  containers: string[];
  /** The runtime running it, when the agent has several; else the server's `runtime`. */
  runtime?: ContainerRuntime;
  /** Its containers' statuses as last reported (init containers too), when known. */
  statuses?: readonly ServedContainerStatus[];
}

/** What a log request needs of a container's status: why it has no log yet. */
export interface ServedContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string }; terminated?: object };
  lastState?: { terminated?: object };
}

/**
 * What the server needs of a pod the agent runs: its uid and every container that may have a log
 * (init containers first), with the runtime running it.
 *
 * @example startAgentServer({ host, findPod: (ns, name) => { const f = view.findPod(ns, name); return f && servedPod(f.pod, f.runtime) } })
 */
export function servedPod(pod: Pod, runtime?: ContainerRuntime): ServedPod {
  const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
  return {
    uid: pod.metadata.uid ?? '',
    containers: [...names(pod.spec.initContainers), ...names(pod.spec.containers)],
    ...(runtime ? { runtime } : {}),
    statuses: [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])],
  };
}

export interface AgentServerOptions {
  /** The address to listen on, and only it: 127.0.0.1 locally, the instance's private IP on EC2. */
  host: string;
  /** Default 0: a free port, answered by `port`. */
  port?: number;
  /** The runtime of pods that name none in ServedPod. */
  runtime?: ContainerRuntime;
  findPod(namespace: string, name: string): ServedPod | undefined;
  logError?: (message: string, error: unknown) => void;
}

export interface AgentServer {
  port: number;
  /** Stops listening and ends open log streams. */
  close(): Promise<void>;
}

/**
 * The node agent's HTTP server, the kubelet's read-only part of it that the API proxies to:
 * `GET /containerLogs/{namespace}/{pod}/{container}` with the kubelet's query (follow, previous,
 * timestamps, tailLines, limitBytes, sinceSeconds, sinceTime) answers the container's log as
 * text/plain, streamed while following; `GET /healthz` answers `ok`. Failures are Kubernetes
 * Status objects: 404 for a pod the agent does not run or a container it does not have, 400 for a
 * log that does not exist yet (or no previous one) or a query that cannot be decoded, 422 for
 * options kube's validation refuses.
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const logError = options.logError ?? ((message, error) => console.error(`agent server: ${message}`, error));
  const server = createServer((request, response) => {
    serve(request, response, options).catch((error: unknown) => {
      logError(`${request.method} ${request.url} failed`, error);
      if (!response.headersSent)
        sendStatus(response, 500, 'InternalError', 'the agent could not serve the request');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(request: IncomingMessage, response: ServerResponse, options: AgentServerOptions) {
  const url = new URL(request.url ?? '/', 'http://agent');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (url.pathname === '/healthz') {
    if (request.method !== 'GET') return sendStatus(response, 405, 'MethodNotAllowed', 'only GET is served');
    response.writeHead(200, { 'content-type': 'text/plain' });
    return void response.end('ok');
  }
  if (segments[0] !== 'containerLogs' || segments.length !== 4)
    return sendStatus(response, 404, 'NotFound', 'the agent serves no such path');
  if (request.method !== 'GET') return sendStatus(response, 405, 'MethodNotAllowed', 'only GET is served');
  const [namespace, podName, container] = segments.slice(1).map(decodeSegment);
  if (namespace === undefined || podName === undefined || container === undefined)
    return sendStatus(response, 400, 'BadRequest', 'invalid escape in the path');

  let decoded;
  try {
    decoded = decodeLogQuery(Object.fromEntries(url.searchParams));
  } catch (error) {
    if (!(error instanceof LogQueryDecodeError)) throw error;
    return sendStatus(response, 400, 'BadRequest', error.message);
  }
  if (decoded.problems.length > 0)
    return sendStatus(
      response,
      422,
      'Invalid',
      `PodLogOptions "${podName}" is invalid: ${decoded.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join(', ')}`,
    );
  const pod = options.findPod(namespace, podName);
  const runtime = pod?.runtime ?? options.runtime;
  if (!pod || !runtime) return sendStatus(response, 404, 'NotFound', `pod "${podName}" does not exist`);
  if (!pod.containers.includes(container))
    return sendStatus(response, 404, 'NotFound', `container "${container}" not found in pod "${podName}"`);

  const ref = { podUid: pod.uid, container };
  const query = decoded.query;
  try {
    // Whether the log exists, before the head goes out: a follow may wait long for its first line.
    for await (const _ of runtime.logs(ref, { previous: query.previous, tailLines: 0 })) break;
  } catch (error) {
    if (!(error instanceof ContainerLogNotFoundError)) throw error;
    const message = query.previous
      ? `previous terminated container "${container}" in pod "${podName}" not found`
      : noLogYet(pod, container, podName);
    return sendStatus(response, 400, 'BadRequest', message);
  }
  response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache' });
  response.flushHeaders();
  // A client that leaves ends the follow at once, not at the container's next line.
  const left = new AbortController();
  response.once('close', () => left.abort());
  await pipeLog(servedLog(runtime, ref, query, new Date(), left.signal), request, response);
}

/** Writes the log's chunks with backpressure; stops the log when the client goes away. */
async function pipeLog(log: AsyncIterable<Buffer>, request: IncomingMessage, response: ServerResponse) {
  const iterator = log[Symbol.asyncIterator]();
  let gone = false;
  const onClose = () => {
    gone = true;
    void iterator.return?.();
  };
  response.once('close', onClose);
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done || gone) break;
      if (!response.write(step.value))
        await new Promise<void>((resolve) => {
          response.once('drain', resolve);
          response.once('close', resolve);
        });
    }
  } finally {
    response.off('close', onClose);
    if (!gone) response.end();
    request.resume();
  }
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendStatus(response: ServerResponse, code: number, reason: string, message: string): void {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(status));
}

/**
 * Why a container has no log, in the kubelet's words (validateContainerLogStatus): what it waits
 * for (`ContainerCreating`, an image it cannot pull), that it ended without one, that the pod's
 * status does not list it, or, without a status to go by, that it has no log yet.
 */
function noLogYet(pod: ServedPod, container: string, podName: string): string {
  const which = `container "${container}" in pod "${podName}"`;
  if (!pod.statuses) return `${which} is waiting to start - no logs yet`;
  const status = pod.statuses.find((s) => s.name === container);
  if (!status) return `${which} is not available`;
  const waiting = status.state?.waiting;
  if (status.state?.terminated || (!waiting && status.lastState?.terminated)) return `${which} is terminated`;
  if (!waiting) return `${which} is waiting to start - no logs yet`;
  if (waiting.reason === 'ErrImagePull') return `${which} is waiting to start: image can't be pulled`;
  if (waiting.reason === 'ImagePullBackOff')
    return `${which} is waiting to start: trying and failing to pull image`;
  return `${which} is waiting to start: ${waiting.reason ?? ''}`;
}
