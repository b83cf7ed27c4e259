import * as z from 'zod';
import { forbidden, inclusiveRange, invalidValue } from './field-error';
import { EnvFromSource, EnvVar } from './env';
import { requiredDns1123Label } from './names';
import { mergeList } from './patch-strategy';
import { portName, portNumber } from './port';
import { Probe } from './probe';
import { ResourceRequirements } from './resource-requirements';
import { VolumeMount, subPathError } from './volume';

/**
 * v1.Container, shared by pods, pod templates and init containers, with Kubernetes' container
 * defaults (protocol TCP, termination message path and policy, image pull policy by tag).
 */
export const ContainerPort = z
  .object({
    name: portName.optional(),
    hostPort: z.number().int().optional(),
    containerPort: portNumber,
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
    hostIP: z.string().optional(),
  })
  .superRefine((port, ctx) => {
    if (port.hostPort !== undefined && port.hostPort !== 0 && (port.hostPort < 1 || port.hostPort > 65535))
      ctx.addIssue({
        code: 'custom',
        path: ['hostPort'],
        message: invalidValue(port.hostPort, inclusiveRange(1, 65535)),
      });
  });
export type ContainerPort = z.infer<typeof ContainerPort>;

const ImagePullPolicy = z.enum(['Always', 'Never', 'IfNotPresent']);
export type ImagePullPolicy = z.infer<typeof ImagePullPolicy>;

/**
 * Kubernetes' default pull policy: Always for `:latest` or an untagged image (which means latest),
 * IfNotPresent for any other tag or a digest.
 * @example defaultImagePullPolicy('nginx') // 'Always'
 * @example defaultImagePullPolicy('nginx:1.27') // 'IfNotPresent'
 */
export function defaultImagePullPolicy(image: string | undefined): ImagePullPolicy {
  if (!image) return 'IfNotPresent';
  const [name, digest] = image.split('@', 2);
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  if (tag === 'latest' || (tag === '' && digest === undefined)) return 'Always';
  return 'IfNotPresent';
}

const containerFields = z.object({
  name: requiredDns1123Label,
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  ports: mergeList(ContainerPort, 'containerPort').optional(),
  envFrom: z.array(EnvFromSource).optional(),
  env: mergeList(EnvVar, 'name').optional(),
  resources: ResourceRequirements.prefault({}),
  volumeMounts: mergeList(VolumeMount, 'mountPath').optional(),
  livenessProbe: Probe.optional(),
  readinessProbe: Probe.optional(),
  startupProbe: Probe.optional(),
  lifecycle: z.looseObject({}).optional(),
  terminationMessagePath: z.string().default('/dev/termination-log'),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).default('File'),
  imagePullPolicy: ImagePullPolicy.optional(),
  securityContext: z.looseObject({}).optional(),
  /** Only for init containers: `Always` makes a sidecar. */
  restartPolicy: z.enum(['Always']).optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
});

export const Container = containerFields
  .superRefine((container, ctx) => {
    for (const probe of ['livenessProbe', 'startupProbe'] as const) {
      const threshold = container[probe]?.successThreshold;
      if (threshold !== undefined && threshold !== 1)
        ctx.addIssue({
          code: 'custom',
          path: [probe, 'successThreshold'],
          message: invalidValue(threshold, 'must be 1'),
        });
    }
    const seenPaths = new Set<string>();
    container.volumeMounts?.forEach((mount, i) => {
      if (seenPaths.has(mount.mountPath))
        ctx.addIssue({
          code: 'custom',
          path: ['volumeMounts', i, 'mountPath'],
          message: invalidValue(mount.mountPath, 'must be unique'),
        });
      seenPaths.add(mount.mountPath);
      const subPath = mount.subPath ? subPathError(mount.subPath) : undefined;
      if (subPath) ctx.addIssue({ code: 'custom', path: ['volumeMounts', i, 'subPath'], message: subPath });
    });
  })
  .transform((container) => ({
    ...container,
    imagePullPolicy: container.imagePullPolicy ?? defaultImagePullPolicy(container.image),
  }));
export type Container = z.infer<typeof Container>;

/** The probes and lifecycle only sidecars (restartPolicy Always) may have among init containers. */
export const SIDECAR_ONLY_FIELDS = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Kubernetes' message for a sidecar-only field on a plain init container. */
export const SIDECAR_ONLY_MESSAGE = forbidden(
  'may not be set for init containers without restartPolicy=Always',
);
