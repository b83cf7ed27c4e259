import type { KubeObject } from '../../kinds/meta';
import { ServiceKind } from '../../kinds/service';
import { admitServiceCreate, admitServiceUpdate } from '../service-network/service-admission';
import { serviceNetworkFromEnv } from '../service-network/service-network';
import { dropTypeDependentFields } from '../service-network/service-update-body';
import { isDryRun, type VerbContext } from '../verbs/verb-context';

/**
 * Kind-specific steps of kube-apiserver's REST storage around a write, for the kinds that have
 * them (Services: their ClusterIP and node ports). Other kinds pass through unchanged.
 */

function isService({ route }: VerbContext): boolean {
  return route.kind === ServiceKind && route.subresource === undefined;
}

/**
 * An update's body before it is validated: for Services, values tied to a type the update
 * leaves behind are dropped (service-update-body.ts).
 */
export async function prepareUpdateBody(
  context: VerbContext,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!isService(context)) return body;
  const { route, store } = context;
  const current = await store.get(route.kind, route.namespace, route.name ?? '');
  return dropTypeDependentFields(body, current as unknown as Record<string, unknown>);
}

/**
 * Writes `object` with what its kind's storage adds first (allocations), undoing those when the
 * write fails. Creates when the route names no object, updates otherwise. A dry run allocates
 * nothing.
 */
export async function writeAdmitted(
  context: VerbContext,
  object: KubeObject,
  write: (object: KubeObject) => Promise<KubeObject>,
): Promise<KubeObject> {
  if (!isService(context) || isDryRun(context.request)) return write(object);
  const { route, store } = context;
  const network = serviceNetworkFromEnv();
  const admitted =
    route.name === undefined
      ? await admitServiceCreate(object, store, network)
      : await admitServiceUpdate(
          object,
          await store.get(route.kind, route.namespace, route.name),
          store,
          network,
        );
  try {
    return await write(admitted.object);
  } catch (error) {
    await admitted.undo();
    throw error;
  }
}
