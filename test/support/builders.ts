import type { z } from 'zod';
import type { ConfigMap } from '../../lib/kinds/config-map';
import type { Container } from '../../lib/kinds/container';
import type { Deployment, DeploymentSpec } from '../../lib/kinds/deployment';
import type { Event } from '../../lib/kinds/event';
import type { Job, JobSpec } from '../../lib/kinds/job';
import type { Lease, LeaseSpec } from '../../lib/kinds/lease';
import type { Namespace } from '../../lib/kinds/namespace';
import type { Node, NodeStatus, Taint } from '../../lib/kinds/node';
import type { Pod } from '../../lib/kinds/pod';
import type { PodSpec } from '../../lib/kinds/pod-spec';
import type { PodStatus } from '../../lib/kinds/pod-status';
import type { ReplicaSet, ReplicaSetSpec } from '../../lib/kinds/replica-set';

/**
 * Manifests as a client would write them (zod input types: defaults not yet applied), minimal
 * and valid, with the knobs tests turn most. Pass them to decodeObject or the API.
 *
 * @example aDeployment({ replicas: 3 })
 * @example aPod({ nodeName: 'node-1', requests: { cpu: '500m' } })
 */
export type ContainerManifest = z.input<typeof Container>;
export type PodSpecManifest = z.input<typeof PodSpec>;
export type PodManifest = z.input<typeof Pod>;
export type DeploymentManifest = z.input<typeof Deployment>;
export type ReplicaSetManifest = z.input<typeof ReplicaSet>;
export type JobManifest = z.input<typeof Job>;
export type NamespaceManifest = z.input<typeof Namespace>;
export type NodeManifest = z.input<typeof Node>;
export type ConfigMapManifest = z.input<typeof ConfigMap>;
export type EventManifest = z.input<typeof Event>;
export type LeaseManifest = z.input<typeof Lease>;

type ResourceMap = Record<string, string | number>;

interface ObjectOptions {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function metadataOf(options: ObjectOptions, defaultName: string, namespaced = true) {
  return {
    name: options.name ?? defaultName,
    ...(namespaced ? { namespace: options.namespace ?? 'default' } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
}

export interface ContainerOptions extends Partial<ContainerManifest> {
  requests?: ResourceMap;
  limits?: ResourceMap;
}

/** A container running `nginx:1.27`, named `app`. */
export function aContainer(options: ContainerOptions = {}): ContainerManifest {
  const { requests, limits, ...overrides } = options;
  const resources =
    requests || limits ? { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } : undefined;
  return { name: 'app', image: 'nginx:1.27', ...(resources ? { resources } : {}), ...overrides };
}

export interface PodSpecOptions extends Partial<PodSpecManifest> {
  image?: string;
  requests?: ResourceMap;
  limits?: ResourceMap;
}

/** A pod spec with one container (see aContainer); `image`, `requests`, `limits` shape it. */
export function aPodSpec(options: PodSpecOptions = {}): PodSpecManifest {
  const { image, requests, limits, ...overrides } = options;
  return {
    containers: [
      aContainer({
        ...(image ? { image } : {}),
        ...(requests ? { requests } : {}),
        ...(limits ? { limits } : {}),
      }),
    ],
    ...overrides,
  };
}

export interface PodOptions extends ObjectOptions, PodSpecOptions {
  spec?: Partial<PodSpecManifest>;
  status?: z.input<typeof PodStatus>;
}

/** A Pod `web-0` in `default`. */
export function aPod(options: PodOptions = {}): PodManifest {
  const { name, namespace, labels, annotations, spec, status, ...specOptions } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: metadataOf({ name, namespace, labels, annotations }, 'web-0'),
    spec: { ...aPodSpec(specOptions), ...spec },
    ...(status ? { status } : {}),
  };
}

interface WorkloadOptions extends ObjectOptions {
  /** The pods' labels, also used as the selector's matchLabels. Default `{ app: <name> }`. */
  podLabels?: Record<string, string>;
  image?: string;
  requests?: ResourceMap;
  limits?: ResourceMap;
  podSpec?: Partial<PodSpecManifest>;
}

function templateOf(options: WorkloadOptions, podLabels: Record<string, string>) {
  return {
    metadata: { labels: podLabels },
    spec: {
      ...aPodSpec({
        ...(options.image ? { image: options.image } : {}),
        ...(options.requests ? { requests: options.requests } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
      }),
      ...options.podSpec,
    },
  };
}

/**
 * Splits a workload builder's options into its metadata, its pod template and the rest of its
 * spec: what aDeployment, aReplicaSet and aJob share.
 */
function workloadParts<S extends object>(
  options: WorkloadOptions & S,
  defaults: { name: string; podLabels: (name: string) => Record<string, string> },
) {
  const {
    name = defaults.name,
    namespace,
    labels,
    annotations,
    podLabels,
    image,
    requests,
    limits,
    podSpec,
    ...spec
  } = options;
  const selected = podLabels ?? defaults.podLabels(name);
  return {
    name,
    selected,
    metadata: metadataOf({ name, namespace, labels, annotations }, name),
    template: templateOf({ image, requests, limits, podSpec }, selected),
    spec,
  };
}

export interface DeploymentOptions
  extends WorkloadOptions, Partial<Omit<z.input<typeof DeploymentSpec>, 'template'>> {}

/** A Deployment `web` selecting `app: web`, one replica unless `replicas` says otherwise. */
export function aDeployment(options: DeploymentOptions = {}): DeploymentManifest {
  const { metadata, selected, template, spec } = workloadParts(options, {
    name: 'web',
    podLabels: (name) => ({ app: name }),
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: { selector: { matchLabels: selected }, template, ...spec },
  };
}

export interface ReplicaSetOptions
  extends WorkloadOptions, Partial<Omit<z.input<typeof ReplicaSetSpec>, 'template'>> {}

/** A ReplicaSet `web-5d8f` selecting `app: web`. */
export function aReplicaSet(options: ReplicaSetOptions = {}): ReplicaSetManifest {
  const { metadata, selected, template, spec } = workloadParts(options, {
    name: 'web-5d8f',
    podLabels: () => ({ app: 'web' }),
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata,
    spec: { selector: { matchLabels: selected }, template, ...spec },
  };
}

export interface JobOptions extends WorkloadOptions, Partial<Omit<z.input<typeof JobSpec>, 'template'>> {}

/** A Job `batch` whose pod runs once and is never restarted. */
export function aJob(options: JobOptions = {}): JobManifest {
  const { metadata, template, spec } = workloadParts(options, {
    name: 'batch',
    podLabels: (name) => ({ app: name }),
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: { template: { ...template, spec: { restartPolicy: 'Never', ...template.spec } }, ...spec },
  };
}

/** A Namespace `team-a`. */
export function aNamespace(options: ObjectOptions = {}): NamespaceManifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: metadataOf(options, 'team-a', false) };
}

export interface NodeOptions extends ObjectOptions {
  capacity?: ResourceMap;
  allocatable?: ResourceMap;
  taints?: z.input<typeof Taint>[];
  unschedulable?: boolean;
  providerID?: string;
  status?: z.input<typeof NodeStatus>;
}

/** A Node `node-1` with 2 CPUs and 4Gi of memory, Ready. */
export function aNode(options: NodeOptions = {}): NodeManifest {
  const capacity = options.capacity ?? { cpu: '2', memory: '4Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: metadataOf(options, 'node-1', false),
    spec: {
      ...(options.providerID ? { providerID: options.providerID } : {}),
      ...(options.taints ? { taints: options.taints } : {}),
      ...(options.unschedulable !== undefined ? { unschedulable: options.unschedulable } : {}),
    },
    status: options.status ?? {
      capacity,
      ...(options.allocatable ? { allocatable: options.allocatable } : {}),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export interface ConfigMapOptions extends ObjectOptions {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** A ConfigMap `settings` with one entry. */
export function aConfigMap(options: ConfigMapOptions = {}): ConfigMapManifest {
  const { data = { 'log-level': 'info' }, binaryData, immutable, ...meta } = options;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadataOf(meta, 'settings'),
    data,
    ...(binaryData ? { binaryData } : {}),
    ...(immutable !== undefined ? { immutable } : {}),
  };
}

export interface EventOptions
  extends ObjectOptions, Partial<Omit<EventManifest, 'metadata' | 'apiVersion' | 'kind'>> {}

/** An Event `web-0.17c3` saying pod `web-0` was scheduled. */
export function anEvent(options: EventOptions = {}): EventManifest {
  const { name, namespace, labels, annotations, ...fields } = options;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: metadataOf({ name, namespace, labels, annotations }, 'web-0.17c3'),
    involvedObject: {
      kind: 'Pod',
      namespace: namespace ?? 'default',
      name: 'web-0',
      uid: 'uid-web-0',
      apiVersion: 'v1',
    },
    reason: 'Scheduled',
    message: 'Successfully assigned default/web-0 to node-1',
    type: 'Normal',
    source: { component: 'default-scheduler' },
    count: 1,
    ...fields,
  };
}

export interface LeaseOptions extends ObjectOptions, Partial<LeaseSpec> {}

/** A node heartbeat Lease `node-1` in `kube-node-lease`. */
export function aLease(options: LeaseOptions = {}): LeaseManifest {
  const { name, namespace = 'kube-node-lease', labels, annotations, ...spec } = options;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: metadataOf({ name, namespace, labels, annotations }, 'node-1'),
    spec: { holderIdentity: name ?? 'node-1', leaseDurationSeconds: 40, ...spec },
  };
}
