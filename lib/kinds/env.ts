import * as z from 'zod';
import { invalidValue, requiredValue, unsupportedValue } from './field-error';
import { configMapKeyError, envVarNameError } from './names';
import { quantity } from './quantity';

/**
 * A container's environment: EnvVar (`env`) and EnvFromSource (`envFrom`), with the sources a
 * value may come from. Validation follows Kubernetes' validateEnv.
 */

/**
 * The pod fields the downward API exposes to env vars (validEnvDownwardAPIFieldPathExpressions);
 * labels and annotations only one key at a time: `metadata.labels['app']`.
 */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const SUBSCRIPTED_FIELD_PATH_RE = /^metadata\.(labels|annotations)\['[^']+'\]$/;

export const ObjectFieldSelector = z.object({
  apiVersion: z.string().default('v1'),
  fieldPath: z.string().superRefine((path, ctx) => {
    if (!ENV_FIELD_PATHS.includes(path) && !SUBSCRIPTED_FIELD_PATH_RE.test(path))
      ctx.addIssue({ code: 'custom', message: unsupportedValue(path, ENV_FIELD_PATHS) });
  }),
});

export const ResourceFieldSelector = z.object({
  containerName: z.string().optional(),
  resource: z.string().min(1),
  divisor: quantity.optional(),
});

const keySchema = z
  .string()
  .min(1)
  .superRefine((key, ctx) => {
    const error = configMapKeyError(key);
    if (error) ctx.addIssue({ code: 'custom', message: invalidValue(key, error) });
  });

/** A key of a ConfigMap (configMapKeyRef) or of a Secret (secretKeyRef). */
export const KeySelector = z.object({
  name: z.string().min(1),
  key: keySchema,
  optional: z.boolean().optional(),
});

export const EnvVarSource = z
  .object({
    fieldRef: ObjectFieldSelector.optional(),
    resourceFieldRef: ResourceFieldSelector.optional(),
    configMapKeyRef: KeySelector.optional(),
    secretKeyRef: KeySelector.optional(),
  })
  .superRefine((source, ctx) => {
    const count = Object.values(source).filter((v) => v !== undefined).length;
    if (count === 0)
      ctx.addIssue({
        code: 'custom',
        message: requiredValue(
          'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        ),
      });
    else if (count > 1)
      ctx.addIssue({
        code: 'custom',
        message: invalidValue('', 'may not have more than one field specified at a time'),
      });
  });

export const EnvVar = z
  .object({
    name: z
      .string()
      .min(1)
      .superRefine((name, ctx) => {
        const error = envVarNameError(name);
        if (error) ctx.addIssue({ code: 'custom', message: invalidValue(name, error) });
      }),
    value: z.string().optional(),
    valueFrom: EnvVarSource.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.valueFrom && env.value)
      ctx.addIssue({
        code: 'custom',
        path: ['valueFrom'],
        message: invalidValue('', 'may not be specified when `value` is not empty'),
      });
  });
export type EnvVar = z.infer<typeof EnvVar>;

const LocalReference = z.object({ name: z.string().min(1), optional: z.boolean().optional() });

export const EnvFromSource = z.object({
  prefix: z.string().optional(),
  configMapRef: LocalReference.optional(),
  secretRef: LocalReference.optional(),
});
export type EnvFromSource = z.infer<typeof EnvFromSource>;
