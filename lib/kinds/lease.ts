import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { invalidValue } from './field-error';
import { int32, nonNegativeInt32 } from './int32';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { timestamp } from './time';

/**
 * coordination.k8s.io/v1 Lease: a heartbeat (each node's agent renews one in kube-node-lease) and
 * a lock for leader election.
 */
export const LeaseSpec = z.object({
  holderIdentity: z.string().optional(),
  leaseDurationSeconds: int32
    .superRefine((seconds, ctx) => {
      if (seconds <= 0)
        ctx.addIssue({ code: 'custom', message: invalidValue(seconds, 'must be greater than 0') });
    })
    .optional(),
  acquireTime: timestamp.optional(),
  renewTime: timestamp.optional(),
  leaseTransitions: nonNegativeInt32.optional(),
  strategy: z.string().optional(),
  preferredHolder: z.string().optional(),
});
export type LeaseSpec = z.infer<typeof LeaseSpec>;

export const Lease = z.object({
  apiVersion: z.literal('coordination.k8s.io/v1'),
  kind: z.literal('Lease'),
  metadata: emptyByDefault(ObjectMeta),
  spec: LeaseSpec.prefault({}),
});
export type Lease = z.infer<typeof Lease>;

export const LeaseKind: KindInfo = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  garbageCollected: false,
  nameFormat: 'dns1123-subdomain',
  schema: Lease,
  fieldSelectors: {},
};
