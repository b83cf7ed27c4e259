import * as z from 'zod';
import { forbidden, invalidValue } from './field-error';
import { int32 } from './int32';
import { requiredDns1123Label } from './names';
import { quantity } from './quantity';

/**
 * v1.Volume and the sources Skiff's agent can provide. The rarer sources are accepted as open
 * objects so manifests using them still apply (the agent reports what it cannot mount).
 */
export const KeyToPath = z.object({
  key: z.string().min(1),
  path: z.string().min(1),
  mode: int32.optional(),
});

export const EmptyDirVolumeSource = z.object({
  medium: z.string().optional(),
  sizeLimit: quantity.optional(),
});

/** 0644, the mode Kubernetes gives projected files unless told otherwise. */
const DEFAULT_MODE = 420;

export const ConfigMapVolumeSource = z.object({
  name: z.string().optional(),
  items: z.array(KeyToPath).optional(),
  defaultMode: int32.default(DEFAULT_MODE),
  optional: z.boolean().optional(),
});

export const SecretVolumeSource = z.object({
  secretName: z.string().optional(),
  items: z.array(KeyToPath).optional(),
  defaultMode: int32.default(DEFAULT_MODE),
  optional: z.boolean().optional(),
});

export const HostPathVolumeSource = z.object({
  path: z.string().min(1),
  type: z
    .enum([
      '',
      'DirectoryOrCreate',
      'Directory',
      'FileOrCreate',
      'File',
      'Socket',
      'CharDevice',
      'BlockDevice',
    ])
    .default(''),
});

export const PersistentVolumeClaimVolumeSource = z.object({
  claimName: z.string().min(1),
  readOnly: z.boolean().optional(),
});

const openSource = z.looseObject({});

const SOURCES = [
  'emptyDir',
  'configMap',
  'secret',
  'hostPath',
  'persistentVolumeClaim',
  'projected',
  'downwardAPI',
  'csi',
  'ephemeral',
  'nfs',
] as const;

/**
 * A volume. As Kubernetes' SetDefaults_Volume does, a volume that names no source becomes an
 * emptyDir; naming more than one source is refused.
 */
export const Volume = z
  .object({
    name: requiredDns1123Label,
    emptyDir: EmptyDirVolumeSource.optional(),
    configMap: ConfigMapVolumeSource.optional(),
    secret: SecretVolumeSource.optional(),
    hostPath: HostPathVolumeSource.optional(),
    persistentVolumeClaim: PersistentVolumeClaimVolumeSource.optional(),
    projected: openSource.optional(),
    downwardAPI: openSource.optional(),
    csi: openSource.optional(),
    ephemeral: openSource.optional(),
    nfs: openSource.optional(),
  })
  .superRefine((volume, ctx) => {
    const present = SOURCES.filter((source) => volume[source] !== undefined);
    for (const extra of present.slice(1))
      ctx.addIssue({
        code: 'custom',
        path: [extra],
        message: forbidden('may not specify more than 1 volume type'),
      });
  })
  .transform((volume) =>
    SOURCES.some((source) => volume[source] !== undefined) ? volume : { ...volume, emptyDir: {} },
  );
export type Volume = z.infer<typeof Volume>;

export const VolumeMount = z.object({
  name: z.string().min(1),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.enum(['Disabled', 'IfPossible', 'Enabled']).optional(),
  mountPath: z.string().min(1),
  subPath: z.string().optional(),
  mountPropagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
  subPathExpr: z.string().optional(),
});
export type VolumeMount = z.infer<typeof VolumeMount>;

/** Kubernetes refuses `..` in a subPath: a mount may not escape its volume. */
export function subPathError(subPath: string): string | undefined {
  if (subPath.startsWith('/')) return invalidValue(subPath, 'must be a relative path');
  if (subPath.split('/').includes('..')) return invalidValue(subPath, "must not contain '..'");
  return undefined;
}
