import type { Pod } from '../../kinds/pod';
import type { ContainerStatus } from '../../kinds/pod-status';
import { newRecord, type ContainerRecord } from './container-record';

/**
 * The records a worker starts from, taken from the status an earlier agent reported: restart
 * counts carry on, completed init containers are not run again once the pod was Initialized, and
 * a container that had been started is started again as a restart (a restarted agent stops the
 * survivors of its previous run rather than adopting them; see docs/agent.md).
 */
export function restoredRecords(pod: Pod): {
  init: ContainerRecord[];
  containers: ContainerRecord[];
  initialized: boolean;
} {
  const initialized =
    (pod.spec.initContainers ?? []).length === 0 ||
    (pod.status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  const restore = (status: ContainerStatus | undefined, name: string, image: string, completed: boolean) => {
    const record = newRecord(name, image);
    if (!status) return record;
    if (completed && status.state?.terminated?.exitCode === 0) {
      return { ...record, everStarted: true, restartCount: status.restartCount, state: status.state };
    }
    const ran = status.state?.running !== undefined || status.state?.terminated !== undefined;
    const restarted = ran || status.lastState?.terminated !== undefined;
    return {
      ...record,
      restartCount: status.restartCount + (ran ? 1 : 0),
      ...(restarted && status.lastState?.terminated ? { lastState: status.lastState } : {}),
    };
  };
  const find = (statuses: ContainerStatus[] | undefined, name: string) =>
    statuses?.find((status) => status.name === name);
  return {
    initialized,
    init: (pod.spec.initContainers ?? []).map((c) =>
      restore(find(pod.status.initContainerStatuses, c.name), c.name, c.image, initialized),
    ),
    containers: pod.spec.containers.map((c) =>
      restore(find(pod.status.containerStatuses, c.name), c.name, c.image, false),
    ),
  };
}
