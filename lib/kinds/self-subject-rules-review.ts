import * as z from 'zod';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';

/**
 * authorization.k8s.io/v1 SelfSubjectRulesReview: everything the caller may do in a namespace, as
 * `kubectl auth can-i --list` asks it. Never stored. Skiff enforces no RBAC yet, so the answer is
 * cluster-admin's rules: every verb on every resource and every non-resource URL.
 */
export const SelfSubjectRulesReview = z.object({
  apiVersion: z.literal('authorization.k8s.io/v1'),
  kind: z.literal('SelfSubjectRulesReview'),
  metadata: ObjectMeta.prefault({}),
  spec: z
    .object({ namespace: z.string().optional().describe('The namespace to list the rules of.') })
    .prefault({}),
  status: z.looseObject({}).optional().describe('The rules that apply, filled by the server.'),
});
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReview>;

export const SelfSubjectRulesReviewKind: KindInfo = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: SelfSubjectRulesReview,
  fieldSelectors: {},
  review: (object) => ({
    ...object,
    metadata: {},
    status: {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    },
  }),
};
