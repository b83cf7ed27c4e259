import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { invalidValue, tooLong } from './field-error';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { configMapKeyError } from './names';

/** Kubernetes caps a ConfigMap's data at 1 MiB (MaxSecretSize). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const base64 = z.string().superRefine((value, ctx) => {
  if (!BASE64_RE.test(value))
    ctx.addIssue({ code: 'custom', message: invalidValue(value, 'illegal base64 data') });
});

/**
 * v1 ConfigMap: configuration as string (`data`) and base64 binary (`binaryData`) entries, with
 * Kubernetes' key rules (IsConfigMapKey), no key in both maps, and the 1 MiB limit.
 */
export const ConfigMap = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: emptyByDefault(ObjectMeta),
    immutable: z.boolean().optional(),
    data: z.record(z.string(), z.string()).optional(),
    binaryData: z.record(z.string(), base64).optional(),
  })
  .superRefine((configMap, ctx) => {
    const data = configMap.data ?? {};
    const binaryData = configMap.binaryData ?? {};
    let total = 0;
    for (const [key, value] of Object.entries(data)) {
      const error = configMapKeyError(key);
      if (error) ctx.addIssue({ code: 'custom', path: ['data', key], message: invalidValue(key, error) });
      total += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    for (const [key, value] of Object.entries(binaryData)) {
      const error = configMapKeyError(key);
      if (error)
        ctx.addIssue({ code: 'custom', path: ['binaryData', key], message: invalidValue(key, error) });
      if (Object.prototype.hasOwnProperty.call(data, key))
        ctx.addIssue({
          code: 'custom',
          path: ['data', key],
          message: invalidValue(key, 'duplicate of key present in binaryData'),
        });
      total += Buffer.byteLength(key) + Buffer.byteLength(value, 'base64');
    }
    if (total > CONFIG_MAP_MAX_BYTES)
      ctx.addIssue({ code: 'custom', path: [], message: tooLong(CONFIG_MAP_MAX_BYTES) });
  });
export type ConfigMap = z.infer<typeof ConfigMap>;

export const ConfigMapKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: ConfigMap,
  fieldSelectors: {},
};
