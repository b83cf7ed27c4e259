import {
  IPAddressKind,
  NodePortAllocationKind,
  SERVICE_NAMESPACE_LABEL,
  SERVICE_NAME_LABEL,
} from '../../api/service-network/allocation-kinds';
import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import { ServiceKind, type Service } from '../../kinds/service';
import { ALLOCATION_GRACE_SECONDS, holds } from '../../api/service-network/orphaned-record';
import { getIfPresent } from '../../store/get-if-present';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';

/**
 * Releases the ClusterIPs and node ports a Service no longer holds: all of them once it is
 * deleted (however it went: kubectl, namespace deletion, the garbage collector), and the old ones
 * when an update changed its type or ports. The part of kube's Service REST storage and repair
 * loops that gives values back; the API claims them (lib/api/service-network).
 */
export const serviceAllocationController: Controller = {
  name: 'service-allocation-controller',
  kind: ServiceKind,
  watches: [],
  reconcile: releaseUnusedValues,
};

async function releaseUnusedValues(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> {
  const { store } = context;
  const service = (await getIfPresent(store, ServiceKind, key.namespace, key.name)) as Service | undefined;
  const now = context.now().getTime();
  let waitSeconds: number | undefined;
  for (const kind of [IPAddressKind, NodePortAllocationKind]) {
    for (const record of await recordsOf(context, kind, key)) {
      if (holds(service, record.metadata.name ?? '')) continue;
      const ageSeconds = (now - Date.parse(record.metadata.creationTimestamp ?? '')) / 1000;
      if (ageSeconds < ALLOCATION_GRACE_SECONDS) {
        const remaining = Math.ceil(ALLOCATION_GRACE_SECONDS - ageSeconds);
        waitSeconds = Math.min(waitSeconds ?? remaining, remaining);
        continue;
      }
      await deleteIfPresent(store, kind, record, 'Background');
    }
  }
  return waitSeconds === undefined ? {} : { requeueAfterSeconds: waitSeconds };
}

async function recordsOf(context: ReconcileContext, kind: KindInfo, key: ObjectKey): Promise<KubeObject[]> {
  const { items } = await context.store.list(kind, {
    labelSelector: [
      { key: SERVICE_NAMESPACE_LABEL, operator: 'In', values: [key.namespace ?? ''] },
      { key: SERVICE_NAME_LABEL, operator: 'In', values: [key.name] },
    ],
  });
  return items;
}
