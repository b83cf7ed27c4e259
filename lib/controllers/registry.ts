import { clusterRoleAggregationController } from './cluster-role-aggregation/cluster-role-aggregation-controller';
import type { Controller } from './controller';
import { cronJobController } from './cron-job/cron-job-controller';
import { deploymentController } from './deployment/deployment-controller';
import { endpointSliceController } from './endpoint-slice/endpoint-slice-controller';
import { endpointsController } from './endpoints/endpoints-controller';
import { disruptionController } from './disruption/disruption-controller';
import { GARBAGE_COLLECTORS } from './garbage-collector/garbage-collector';
import { jobController } from './job/job-controller';
import { namespaceController } from './namespace/namespace-controller';
import { nodeLifecycleController } from './node-lifecycle/node-lifecycle-controller';
import { replicaSetController } from './replica-set/replica-set-controller';
import { serviceAllocationController } from './service-allocation/service-allocation-controller';
import { serviceAccountController } from './service-account/service-account-controller';

/**
 * Every controller, in one place: the reconcile Lambda, the requeue consumer, the resync tick and
 * the local control plane all dispatch to this list, and the stream trigger's filter is derived
 * from the kinds it owns and watches.
 */
export const CONTROLLERS: readonly Controller[] = [
  deploymentController,
  replicaSetController,
  jobController,
  cronJobController,
  namespaceController,
  serviceAccountController,
  disruptionController,
  nodeLifecycleController(),
  serviceAllocationController,
  endpointSliceController,
  endpointsController,
  clusterRoleAggregationController,
  ...GARBAGE_COLLECTORS,
];
