import type { z } from 'zod';
import type { Pod } from '../../kinds/pod';
import type { ReplicaSet } from '../../kinds/replica-set';
import { controllerRefTo } from './pod-ownership';

/** A pod as a client would write it: the store's caller decodes it so Pod defaults apply. */
export type PodManifest = z.input<typeof Pod>;

/**
 * The pod a ReplicaSet creates under `name` (kube's GetPodFromTemplate): the template's labels,
 * annotations, finalizers and spec, in the ReplicaSet's namespace, controlled by it.
 */
export function podFromTemplate(replicaSet: ReplicaSet, name: string): PodManifest {
  const { labels, annotations, finalizers } = replicaSet.spec.template.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: replicaSet.metadata.namespace,
      ...(labels ? { labels: { ...labels } } : {}),
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ...(finalizers ? { finalizers: [...finalizers] } : {}),
      ownerReferences: [controllerRefTo(replicaSet)],
    },
    spec: structuredClone(replicaSet.spec.template.spec),
  };
}
