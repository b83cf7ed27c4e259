import type { KubeObject } from '../../kinds/meta';
import type { EventIdentity } from './event-name';

/**
 * The first Event of a report about `about`, as kube's recorder writes it: the involved object's
 * reference, the report, its source component and count 1. The store's recorder and the API's
 * (operators on AWS) both write this shape, then count its repeats.
 */
export function firstEventManifest(
  about: KubeObject,
  identity: EventIdentity,
  target: { namespace: string; name: string },
  time: string,
) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: target.name, namespace: target.namespace },
    involvedObject: {
      apiVersion: about.apiVersion,
      kind: about.kind,
      name: about.metadata.name,
      ...(about.metadata.namespace ? { namespace: about.metadata.namespace } : {}),
      uid: about.metadata.uid,
      resourceVersion: about.metadata.resourceVersion,
    },
    type: identity.type,
    reason: identity.reason,
    message: identity.message,
    source: { component: identity.component },
    reportingComponent: identity.component,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
}
