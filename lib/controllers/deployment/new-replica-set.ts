import type { Deployment } from '../../kinds/deployment';
import type { ReplicaSet } from '../../kinds/replica-set';
import {
  annotationsCopiedFrom,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
} from './annotations';
import { podTemplateHash } from './pod-template-hash';

/**
 * The ReplicaSet for the Deployment's current template (kube's getNewReplicaSet, creating branch):
 * named `<deployment>-<pod-template-hash>` so a retried create finds the same name, with the hash
 * added to its labels, selector and pod labels so it never selects a sibling's pods, and owned by
 * the Deployment as its controller (which the garbage collector follows on deletion), carrying the
 * Deployment's annotations but the controller's own and kubectl's last applied configuration.
 */
export function newReplicaSet(
  deployment: Deployment,
  replicas: number,
  revision: number,
  maxSurge: number,
): ReplicaSet {
  const hash = podTemplateHash(deployment.spec.template, deployment.status.collisionCount);
  const { metadata, spec } = deployment;
  const template = structuredClone(spec.template);
  template.metadata.labels = { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = structuredClone(spec.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${metadata.name ?? ''}-${hash}`,
      namespace: metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: {
        ...annotationsCopiedFrom(metadata.annotations),
        [REVISION_ANNOTATION]: String(revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(spec.replicas),
        [MAX_REPLICAS_ANNOTATION]: String(spec.replicas + maxSurge),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: metadata.name ?? '',
          uid: metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas,
      selector,
      template,
      ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
    },
    status: { replicas: 0 },
  };
}
