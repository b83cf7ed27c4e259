import * as z from 'zod';
import type { UserInfo } from '../authz/decision';
import type { KindInfo } from './kind-info';
import { ObjectMeta, type KubeObject } from './meta';

/** Who the local server sees: every request is unauthenticated there (and allowed, on 127.0.0.1). */
const LOCAL_CALLER: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * authentication.k8s.io/v1 SelfSubjectReview: "who am I?", as `kubectl auth whoami` asks it. Never
 * stored: the API answers it with the caller's user info (KindInfo.review locally; on AWS the
 * authenticated API answers for the identity its token proved). As kube's REST storage, it reads
 * nothing of the body beyond its kind.
 */
export const SelfSubjectReview = z.object({
  apiVersion: z.literal('authentication.k8s.io/v1'),
  kind: z.literal('SelfSubjectReview'),
  metadata: ObjectMeta.prefault({}),
  status: z
    .object({
      userInfo: z
        .object({
          username: z.string().optional(),
          uid: z.string().optional(),
          groups: z.array(z.string()).optional(),
          extra: z.record(z.string(), z.array(z.string())).optional(),
        })
        .describe('The attributes of the user making this request.'),
    })
    .optional(),
});
export type SelfSubjectReview = z.infer<typeof SelfSubjectReview>;

/** A review answered for `user`, as kube's selfsubjectreview REST storage fills it. */
export function reviewedSelf(review: KubeObject, user: UserInfo): KubeObject {
  const userInfo = {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    ...(user.groups.length > 0 ? { groups: [...user.groups] } : {}),
    ...(user.extra && Object.keys(user.extra).length > 0
      ? { extra: Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]])) }
      : {}),
  };
  return { ...review, metadata: {}, status: { userInfo } };
}

export const SelfSubjectReviewKind: KindInfo = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: SelfSubjectReview,
  fieldSelectors: {},
  review: (object) => reviewedSelf(object, LOCAL_CALLER),
};
