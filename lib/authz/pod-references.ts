import type { Pod } from '../kinds/pod';

/** The Secrets and ConfigMaps (by name, in the pod's namespace) a pod needs to run. */
export interface PodReferences {
  secrets: Set<string>;
  configMaps: Set<string>;
}

/**
 * The edges kube's node authorizer graph draws from a pod to the objects its node may read:
 * configMap and secret volumes, env `valueFrom` and `envFrom` of every container, and
 * imagePullSecrets. Projected volumes are not followed (Skiff's agent does not mount them).
 */
export function podReferences(pod: Pod): PodReferences {
  const refs: PodReferences = { secrets: new Set(), configMaps: new Set() };
  const add = (set: Set<string>, name: string | undefined) => name && set.add(name);
  for (const volume of pod.spec.volumes ?? []) {
    add(refs.configMaps, volume.configMap?.name);
    add(refs.secrets, volume.secret?.secretName);
  }
  for (const secret of pod.spec.imagePullSecrets ?? []) add(refs.secrets, secret.name);
  for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const env of container.env ?? []) {
      add(refs.configMaps, env.valueFrom?.configMapKeyRef?.name);
      add(refs.secrets, env.valueFrom?.secretKeyRef?.name);
    }
    for (const source of container.envFrom ?? []) {
      add(refs.configMaps, source.configMapRef?.name);
      add(refs.secrets, source.secretRef?.name);
    }
  }
  return refs;
}
