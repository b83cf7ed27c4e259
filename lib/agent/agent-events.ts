import type { KubeClient } from '../client/kube-client';
import type { Pod } from '../kinds/pod';
import { timestamp } from '../store/server-fields';

/**
 * Records the kubelet's Events about a pod (Started, Killing, BackOff, Unhealthy, Failed) from
 * component `kubelet` on this host, as `kubectl describe pod` shows them. Recording is
 * fire-and-forget: a lost Event must never hold up running the pod.
 */
export class AgentEvents {
  private sequence = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly logError: (message: string, error: unknown) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const namespace = pod.metadata.namespace ?? 'default';
    const time = timestamp(this.now());
    // The kubelet names an Event after its object and a unique hex suffix.
    const suffix = `${Date.now().toString(16)}${(this.sequence++ % 4096).toString(16).padStart(3, '0')}`;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${suffix}`, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod.metadata.name,
        namespace,
        uid: pod.metadata.uid,
      },
      reason,
      message,
      type,
      source: { component: 'kubelet', host: this.nodeName },
      reportingComponent: 'kubelet',
      reportingInstance: this.nodeName,
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    this.client
      .create({ apiVersion: 'v1', plural: 'events', namespace }, event)
      .catch((error: unknown) =>
        this.logError(`event ${reason} for pod ${namespace}/${pod.metadata.name}`, error),
      );
  }
}
