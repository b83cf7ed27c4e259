import * as z from 'zod';
import type { KindInfo } from '../../kinds/kind-info';
import { ObjectMeta, type KubeObject } from '../../kinds/meta';

/**
 * The records that make Service allocation safe: one object per allocated ClusterIP (kube's own
 * networking.k8s.io IPAddress, named by the address) and one per allocated node port, each
 * created with the store's conditional create, so two Services can never both hold one value.
 * Neither kind is served by the API; they live in the object table beside the Services.
 */

const AllocationRecord = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMeta,
});

export const IPAddressKind: KindInfo = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IPAddress',
  plural: 'ipaddresses',
  singular: 'ipaddress',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: AllocationRecord,
  fieldSelectors: {},
  garbageCollected: false,
};

export const NodePortAllocationKind: KindInfo = {
  group: 'skiff.dev',
  version: 'v1alpha1',
  kind: 'NodePortAllocation',
  plural: 'nodeportallocations',
  singular: 'nodeportallocation',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: AllocationRecord,
  fieldSelectors: {},
  garbageCollected: false,
};

/** Labels naming the Service a record belongs to, so its records can be listed. */
export const SERVICE_NAMESPACE_LABEL = 'skiff.dev/service-namespace';
export const SERVICE_NAME_LABEL = 'skiff.dev/service-name';

/** The Service an allocation is for. */
export interface ServiceRef {
  namespace: string;
  name: string;
}

/** The record holding `name` (an IP, or a node port number) for `parent`. */
export function allocationRecord(kind: KindInfo, name: string, parent: ServiceRef): KubeObject {
  return {
    apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
    kind: kind.kind,
    metadata: {
      name,
      labels: {
        [SERVICE_NAMESPACE_LABEL]: parent.namespace,
        [SERVICE_NAME_LABEL]: parent.name,
        ...(kind === IPAddressKind
          ? {
              'ipaddress.kubernetes.io/ip-family': 'IPv4',
              'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
            }
          : {}),
      },
    },
    spec: { parentRef: { group: '', resource: 'services', namespace: parent.namespace, name: parent.name } },
  };
}

/** The Service a stored record names. */
export function parentOf(record: KubeObject): ServiceRef {
  const labels = record.metadata.labels ?? {};
  return { namespace: labels[SERVICE_NAMESPACE_LABEL] ?? '', name: labels[SERVICE_NAME_LABEL] ?? '' };
}
