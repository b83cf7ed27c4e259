import type { KindInfo } from './kind-info';
import type { KubeObject } from './meta';

/**
 * The status a new object starts with. As in kube-apiserver's create strategies, a client cannot
 * create an object with a status of its choosing when the kind has the status subresource: Pods
 * start Pending, Namespaces Active, controllers' kinds with an empty status (`status: {}`, as kube
 * stores it), custom kinds with none. Nodes keep theirs (the agent reports its capacity at registration).
 */
export function withInitialStatus(kind: KindInfo, object: KubeObject): KubeObject {
  if (!kind.hasStatus || kind.kind === 'Node') return object;
  const { status: _ignored, ...rest } = object;
  // A custom kind's new object has no status at all (the customresource strategy deletes it).
  if (kind.definedBy !== undefined) return rest as KubeObject;
  if (kind.group === '' && kind.kind === 'Pod')
    return { ...rest, status: { phase: 'Pending' } } as KubeObject;
  if (kind.group === '' && kind.kind === 'Namespace')
    return { ...rest, status: { phase: 'Active' } } as KubeObject;
  // A budget's counts have no omitempty in kube: a new one shows them as zero.
  if (kind.group === 'policy' && kind.kind === 'PodDisruptionBudget')
    return {
      ...rest,
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    } as KubeObject;
  return { ...rest, status: {} } as KubeObject;
}
