import * as z from 'zod';
import { Affinity } from './affinity';
import { Container, SIDECAR_ONLY_FIELDS, SIDECAR_ONLY_MESSAGE } from './container';
import { duplicateValue, inclusiveRange, invalidValue, notFound } from './field-error';
import { INT32_MAX, int32, nonNegativeInt64 } from './int32';
import { dns1123Label, dns1123Subdomain, labelMap } from './names';
import { mergeList } from './patch-strategy';
import { ResourceList } from './resource-requirements';
import { Toleration } from './toleration';
import { Volume } from './volume';

/**
 * v1.PodSpec with the defaults Kubernetes gives every pod spec, in pods and in templates alike
 * (SetDefaults_PodSpec): restartPolicy Always, dnsPolicy ClusterFirst, 30s grace period,
 * default-scheduler, an empty securityContext. Pod-only defaults are in pod.ts.
 */
const LocalObjectReference = z.object({ name: z.string().optional() });

export const PodSpec = z
  .object({
    volumes: mergeList(Volume, 'name', 'merge,retainKeys').optional(),
    initContainers: mergeList(Container, 'name').optional(),
    containers: mergeList(Container, 'name').min(1),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).default('Always'),
    terminationGracePeriodSeconds: nonNegativeInt64.default(30),
    activeDeadlineSeconds: z
      .number()
      .int()
      .superRefine((value, ctx) => {
        if (value < 1 || value > INT32_MAX)
          ctx.addIssue({ code: 'custom', message: invalidValue(value, inclusiveRange(1, INT32_MAX)) });
      })
      .optional(),
    dnsPolicy: z.enum(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']).default('ClusterFirst'),
    dnsConfig: z.looseObject({}).optional(),
    nodeSelector: labelMap.optional(),
    serviceAccountName: z.string().optional(),
    serviceAccount: z.string().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    nodeName: z.string().optional(),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    shareProcessNamespace: z.boolean().optional(),
    securityContext: z.looseObject({}).prefault({}),
    imagePullSecrets: mergeList(LocalObjectReference, 'name').optional(),
    hostname: dns1123Label.optional(),
    subdomain: dns1123Label.optional(),
    setHostnameAsFQDN: z.boolean().optional(),
    affinity: Affinity.optional(),
    schedulerName: z.string().min(1).default('default-scheduler'),
    tolerations: z.array(Toleration).optional(),
    hostAliases: z.array(z.looseObject({})).optional(),
    priorityClassName: z.string().optional(),
    priority: int32.optional(),
    preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never']).optional(),
    readinessGates: z.array(z.object({ conditionType: z.string().min(1) })).optional(),
    runtimeClassName: dns1123Subdomain.optional(),
    enableServiceLinks: z.boolean().optional(),
    overhead: ResourceList.optional(),
    topologySpreadConstraints: mergeList(z.looseObject({}), 'topologyKey').optional(),
    schedulingGates: mergeList(z.object({ name: z.string().min(1) }), 'name').optional(),
    os: z.object({ name: z.string().min(1) }).optional(),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const volumes = new Set<string>();
    spec.volumes?.forEach((volume, i) => {
      if (volumes.has(volume.name)) issue(['volumes', i, 'name'], duplicateValue(volume.name));
      volumes.add(volume.name);
    });
    const names = new Set<string>();
    const checkContainers = (field: 'initContainers' | 'containers') =>
      spec[field]?.forEach((container, i) => {
        if (names.has(container.name)) issue([field, i, 'name'], duplicateValue(container.name));
        names.add(container.name);
        container.volumeMounts?.forEach((mount, j) => {
          if (!volumes.has(mount.name)) issue([field, i, 'volumeMounts', j, 'name'], notFound(mount.name));
        });
        if (field === 'initContainers' && container.restartPolicy !== 'Always')
          for (const sidecarOnly of SIDECAR_ONLY_FIELDS)
            if (container[sidecarOnly] !== undefined) issue([field, i, sidecarOnly], SIDECAR_ONLY_MESSAGE);
      });
    checkContainers('initContainers');
    checkContainers('containers');
    spec.containers.forEach((container, i) => {
      if (container.restartPolicy !== undefined)
        issue(['containers', i, 'restartPolicy'], 'Forbidden: may not be set for non-init containers');
    });
  });
export type PodSpec = z.infer<typeof PodSpec>;
