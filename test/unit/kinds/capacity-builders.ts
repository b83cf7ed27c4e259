import type { z } from 'zod';
import type { NodeClaimSpec } from '../../../lib/kinds/node-claim';
import type { NodePoolSpec } from '../../../lib/kinds/node-pool';

/** A NodePool manifest `general` with the given spec (everything else defaulted by the API). */
export function aNodePool(spec: z.input<typeof NodePoolSpec> = {}, name = 'general') {
  return { apiVersion: 'skiff.dev/v1alpha1', kind: 'NodePool', metadata: { name }, spec };
}

/** A NodePool `general` that may launch only `instanceType` as `capacityType`: one plan to expect. */
export function aPoolOf(instanceType: string, capacityType: 'on-demand' | 'spot' = 'on-demand') {
  return aNodePool({
    template: {
      spec: {
        requirements: [
          { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [instanceType] },
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: [capacityType] },
        ],
      },
    },
  });
}

/** A NodeClaim manifest `general-abcde` for one t4g.medium, with the given spec fields. */
export function aNodeClaim(spec: Partial<z.input<typeof NodeClaimSpec>> = {}, name = 'general-abcde') {
  return {
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'NodeClaim',
    metadata: { name },
    spec: { nodePool: 'general', instanceType: 't4g.medium', ...spec },
  };
}
