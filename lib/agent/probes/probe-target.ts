import type { Container } from '../../kinds/container';
import type { ContainerRef, ContainerRuntime } from '../runtime/container-runtime';

/** What a probe checks: one running container of a pod, reached by its pod IP or through its runtime. */
export interface ProbeTarget {
  /** Runs exec probes inside the container. */
  runtime: Pick<ContainerRuntime, 'exec'>;
  ref: ContainerRef;
  /** The container's spec: its named ports resolve a probe's `port: 'http'`. */
  container: Pick<Container, 'name' | 'ports'>;
  /** Where httpGet and tcpSocket probes connect unless they name a host. */
  podIP?: string;
}

/** What one probe found: `message` is what the kubelet puts in its Unhealthy event. */
export interface ProbeOutcome {
  result: 'success' | 'failure';
  message?: string;
}

/**
 * A probe that could not be run at all (a named port the container does not have, exec in a
 * container that is not running, an unsupported handler): the kubelet's probe "errored", and its
 * worker throws the result away rather than count it as a failure.
 */
export class ProbeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
  }
}

/**
 * A probe's port: a number, or the name of one of the container's ports (ResolveContainerPort).
 * @throws ProbeError with the kubelet's message when there is no such port
 */
export function resolvePort(port: number | string, container: ProbeTarget['container']): number {
  const number =
    typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
  if (number === undefined) throw new ProbeError(`port ${JSON.stringify(port)} not found`);
  if (number <= 0 || number >= 65536) throw new ProbeError(`invalid port number: ${number}`);
  return number;
}

/** host:port, with an IPv6 host in brackets (net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
