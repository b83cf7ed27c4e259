import { NodePoolKind } from '../kinds/node-pool';
import { decodeObject } from '../kinds/decode';
import type { KubeObject } from '../kinds/meta';
import { LABELS } from '../scheduling/model';
import { AlreadyExistsError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';

/** The name of the pool `npm start` makes when there is none. */
export const DEFAULT_LOCAL_POOL = 'local';

export interface DefaultPoolOptions {
  /** Only this local instance type (local.small, local.medium, local.large); default any. */
  nodeType?: string;
  /** Nodes kept launched even with nothing to run (the pool's warm floor); default 1. */
  minNodes?: number;
}

/**
 * A fresh local cluster has somewhere to run pods: when no NodePool exists, `npm start` makes
 * the `local` pool over the local instance types, with a warm floor of `minNodes` (so a first
 * Deployment starts without waiting for a launch) and consolidation a minute after nodes empty.
 * A cluster that has pools of its own is left alone; so is this pool once made (edit it with
 * kubectl like any other).
 */
export async function ensureDefaultNodePool(
  store: ObjectStore,
  options: DefaultPoolOptions = {},
): Promise<boolean> {
  if ((await store.list(NodePoolKind, { limit: 1 })).items.length > 0) return false;
  const manifest = {
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'NodePool',
    metadata: { name: DEFAULT_LOCAL_POOL },
    spec: {
      template: {
        spec: {
          requirements: options.nodeType
            ? [{ key: LABELS.instanceType, operator: 'In', values: [options.nodeType] }]
            : [],
        },
      },
      limits: { cpu: '64' },
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      warm: { minNodes: options.minNodes ?? 1 },
    },
  };
  try {
    await store.create(NodePoolKind, decodeObject(NodePoolKind, manifest as unknown as KubeObject).object);
    return true;
  } catch (error) {
    if (error instanceof AlreadyExistsError) return false;
    throw error;
  }
}
