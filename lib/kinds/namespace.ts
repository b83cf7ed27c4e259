import * as z from 'zod';
import { ConditionStatus } from './condition';
import { emptyByDefault } from './empty-by-default';
import { readField } from './field-reader';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { mergeList } from './patch-strategy';
import { timestamp } from './time';

/** The label Kubernetes puts on every namespace so selectors can pick namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The `kubernetes` finalizer holds a deleted namespace until its contents are gone. Note the
 * default applies whenever `spec.finalizers` is absent (or null): the namespace controller must
 * remove it by writing an explicit empty list.
 */
export const NamespaceSpec = z.object({
  finalizers: z.array(z.string()).default(() => ['kubernetes']),
});

export const NamespaceCondition = z.object({
  type: z.string().min(1),
  status: ConditionStatus,
  lastTransitionTime: timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const NamespaceStatus = z.object({
  phase: z.enum(['Active', 'Terminating']).default('Active'),
  conditions: mergeList(NamespaceCondition, 'type').optional(),
});

/** v1 Namespace, cluster-scoped; its name is a DNS-1123 label. */
export const Namespace = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('Namespace'),
    metadata: emptyByDefault(ObjectMeta),
    spec: NamespaceSpec.prefault({}),
    status: NamespaceStatus.prefault({}),
  })
  .transform((namespace) => {
    // SetDefaults_Namespace: label the namespace with its own name (not for generateName).
    const { name, labels } = namespace.metadata;
    if (!name) return namespace;
    return {
      ...namespace,
      metadata: { ...namespace.metadata, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name } },
    };
  });
export type Namespace = z.infer<typeof Namespace>;

export const NamespaceKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  hasStatus: true,
  nameFormat: 'dns1123-label',
  schema: Namespace,
  returnsDeletedObject: true,
  fieldSelectors: { 'status.phase': readField('status.phase') },
};
