import type { Endpoint, EndpointPort } from '../../kinds/endpoint-slice';
import type { Pod } from '../../kinds/pod';
import type { Service } from '../../kinds/service';
import { isPodReady } from '../replica-set/pod-readiness';

/**
 * How kube's EndpointSlice controller turns one pod into an endpoint of a Service
 * (pkg/controller/endpointslice podToEndpoint and podutil.FindPort).
 */

/** The zone label a Node carries, copied onto its pods' endpoints. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * Whether the pod belongs in the Service's endpoints at all (ShouldPodBeInEndpoints with
 * terminating pods included): it has an IP and has not finished.
 */
export function shouldBeEndpoint(pod: Pod): boolean {
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  return Boolean(pod.status.podIP);
}

/** Whether the pod's labels satisfy the Service's selector (every key, with its value). */
export function selectedBy(selector: Record<string, string>, pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * The pod's endpoint: ready only when serving and not terminating (or when the Service publishes
 * addresses that are not ready), serving when its Ready condition is True, terminating once it
 * is being deleted; with its node, the node's zone, and its hostname when the pod names the
 * Service as its subdomain.
 */
export function podEndpoint(pod: Pod, service: Service, zones: ReadonlyMap<string, string>): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = service.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const nodeName = pod.spec.nodeName;
  const zone = nodeName ? zones.get(nodeName) : undefined;
  const hostname =
    pod.spec.hostname && pod.spec.subdomain === service.metadata.name ? pod.spec.hostname : undefined;
  return {
    addresses: [pod.status.podIP ?? ''],
    conditions: { ready, serving, terminating },
    ...(hostname ? { hostname } : {}),
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    },
    ...(nodeName ? { nodeName } : {}),
    ...(zone ? { zone } : {}),
  };
}

/**
 * The Service's ports as this pod serves them: a numeric targetPort as is, a named one as the
 * number of the pod's container port of that name and protocol. A port the pod does not have is
 * left out, as FindPort's error makes kube leave it out.
 */
export function podPorts(pod: Pod, service: Service): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const servicePort of service.spec.ports) {
    const target = servicePort.targetPort ?? servicePort.port;
    const number = typeof target === 'number' ? target : namedPort(pod, target, servicePort.protocol);
    if (number === undefined) continue;
    ports.push({
      name: servicePort.name ?? '',
      protocol: servicePort.protocol,
      port: number,
      ...(servicePort.appProtocol !== undefined ? { appProtocol: servicePort.appProtocol } : {}),
    });
  }
  return ports;
}

function namedPort(pod: Pod, name: string, protocol: string): number | undefined {
  for (const container of pod.spec.containers)
    for (const port of container.ports ?? [])
      if (port.name === name && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
  return undefined;
}
