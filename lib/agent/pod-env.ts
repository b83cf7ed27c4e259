import type { Container } from '../kinds/container';
import type { EnvVar } from '../kinds/env';
import { envVarNameError } from '../kinds/names';
import type { Pod } from '../kinds/pod';
import type { ResourceList } from '../kinds/resource-requirements';
import { resourceFieldValue } from './resource-field-ref';
import { expandVars } from './var-expansion';

export { expandCommand } from './var-expansion';

/**
 * Where env values come from besides the pod: a ConfigMap's or a Secret's data by namespace and
 * name (a Secret's values already decoded from base64), undefined when there is no such object.
 */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
}

/** What the node knows of the pod that its spec and status may not say yet. */
export interface PodRuntimeInfo {
  podIP?: string;
  podIPs?: readonly string[];
  hostIP?: string;
  hostIPs?: readonly string[];
  /** The node's allocatable: what resourceFieldRef gives for a limit the container does not set. */
  allocatable?: Readonly<ResourceList>;
}

/**
 * Why a container's config could not be made (a missing ConfigMap, Secret or key, a field the
 * downward API cannot give): the container waits with this reason and message, as in the kubelet.
 */
export class CreateContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'CreateContainerConfigError';
  }
}

/**
 * A container's environment as the kubelet makes it (makeEnvironmentVariables): every `envFrom`
 * source in order, keys prefixed and keys that are not env var names skipped, then every `env`
 * entry in order, later ones replacing earlier ones. A `value` has its `$(VAR)` references
 * expanded against what is defined so far; `valueFrom` reads a ConfigMap or Secret key, a pod
 * field (the downward API) or a container resource. An optional source or key that is missing
 * leaves the variable out.
 *
 * Service link variables (`<SERVICE>_SERVICE_HOST`...) are not added.
 *
 * @throws CreateContainerConfigError with the kubelet's message, e.g. `configmap "app" not found`
 *   or `couldn't find key mode in ConfigMap default/app`
 */
export async function containerEnv(
  pod: Pod,
  container: Container,
  sources: EnvSources,
  runtime: PodRuntimeInfo,
): Promise<Record<string, string>> {
  const objects = new ObjectCache(pod.metadata.namespace ?? 'default', sources);
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = await objects.get(from.configMapRef ? 'configmap' : 'secret', ref.name, ref.optional);
    for (const [key, value] of Object.entries(data ?? {})) {
      const name = `${from.prefix ?? ''}${key}`;
      if (envVarNameError(name) === undefined) env[name] = value;
    }
  }
  for (const variable of container.env ?? []) {
    const value = await envValue(variable, env, { pod, container, objects, runtime });
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

interface EnvContext {
  pod: Pod;
  container: Container;
  objects: ObjectCache;
  runtime: PodRuntimeInfo;
}

/** One variable's value, or undefined when an optional source leaves it out. */
async function envValue(
  variable: EnvVar,
  defined: Readonly<Record<string, string>>,
  { pod, container, objects, runtime }: EnvContext,
): Promise<string | undefined> {
  const from = variable.valueFrom;
  if (variable.value || !from) return expandVars(variable.value ?? '', defined);
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (keyRef) {
    const kind = from.configMapKeyRef ? 'configmap' : 'secret';
    const data = await objects.get(kind, keyRef.name, keyRef.optional);
    if (data === undefined) return undefined;
    if (Object.prototype.hasOwnProperty.call(data, keyRef.key)) return data[keyRef.key];
    if (keyRef.optional) return undefined;
    const kindName = kind === 'configmap' ? 'ConfigMap' : 'Secret';
    throw new CreateContainerConfigError(
      `couldn't find key ${keyRef.key} in ${kindName} ${objects.namespace}/${keyRef.name}`,
    );
  }
  if (from.fieldRef) return podFieldValue(from.fieldRef.fieldPath, pod, runtime);
  if (from.resourceFieldRef) {
    const podContainers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
    try {
      return resourceFieldValue(from.resourceFieldRef, container, podContainers, runtime.allocatable ?? {});
    } catch (error) {
      throw new CreateContainerConfigError((error as Error).message);
    }
  }
  return '';
}

const SUBSCRIPTED_PATH = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/**
 * A pod field as the downward API gives it to an env var (podFieldSelectorRuntimeValue): the IP
 * lists joined with commas, the pod's IP the first of its IPs, a missing label or annotation empty.
 */
function podFieldValue(path: string, pod: Pod, runtime: PodRuntimeInfo): string {
  const podIPs = ipsFrom(runtime.podIPs, runtime.podIP, pod.status.podIPs, pod.status.podIP);
  const hostIPs = ipsFrom(runtime.hostIPs, runtime.hostIP, pod.status.hostIPs, pod.status.hostIP);
  const subscripted = SUBSCRIPTED_PATH.exec(path);
  if (subscripted) {
    const [, map, key] = subscripted;
    return (map === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[key] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    default:
      throw new CreateContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** The IPs the node gives (its list, else its one IP), else those the pod's status has. */
function ipsFrom(
  runtimeList: readonly string[] | undefined,
  runtimeIP: string | undefined,
  statusList: readonly { ip: string }[] | undefined,
  statusIP: string | undefined,
): readonly string[] {
  if (runtimeList && runtimeList.length > 0) return runtimeList;
  if (runtimeIP) return [runtimeIP];
  if (statusList && statusList.length > 0) return statusList.map(({ ip }) => ip);
  return statusIP ? [statusIP] : [];
}

/**
 * The ConfigMaps and Secrets one container's env reads, each fetched once. A missing object is
 * undefined when the reference is optional and CreateContainerConfigError otherwise, with the
 * API's NotFound message.
 */
class ObjectCache {
  private readonly fetched = new Map<string, Promise<Record<string, string> | undefined>>();

  constructor(
    readonly namespace: string,
    private readonly sources: EnvSources,
  ) {}

  async get(
    kind: 'configmap' | 'secret',
    name: string,
    optional: boolean | undefined,
  ): Promise<Record<string, string> | undefined> {
    const key = `${kind}/${name}`;
    let data = this.fetched.get(key);
    if (!data) {
      data =
        kind === 'configmap'
          ? this.sources.configMap(this.namespace, name)
          : this.sources.secret(this.namespace, name);
      this.fetched.set(key, data);
    }
    const found = await data;
    if (found === undefined && !optional) throw new CreateContainerConfigError(`${kind} "${name}" not found`);
    return found;
  }
}
