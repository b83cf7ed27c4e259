import * as z from 'zod';
import { GoValue, invalidValue } from './field-error';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';

/** Why every review is allowed: Skiff enforces no RBAC yet (the AWS issue brings the authorizer). */
export const OPEN_SERVER_REASON = 'the local server is open on 127.0.0.1';

const ResourceAttributes = z
  .looseObject({
    namespace: z.string().optional(),
    verb: z.string().optional(),
    group: z.string().optional(),
    version: z.string().optional(),
    resource: z.string().optional(),
    subresource: z.string().optional(),
    name: z.string().optional(),
  })
  .describe('The request asked about: a verb on a resource of a group, in a namespace.');

const NonResourceAttributes = z
  .object({ path: z.string().optional(), verb: z.string().optional() })
  .describe('The request asked about: a verb on a URL path that is not a resource.');

/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview: "may I do this?" for the caller, as
 * `kubectl auth can-i` asks it. Never stored: the API answers it with its status filled
 * (KindInfo.review). Validation is kube's: exactly one of resourceAttributes and
 * nonResourceAttributes, and no metadata.
 */
export const SelfSubjectAccessReview = z
  .object({
    apiVersion: z.literal('authorization.k8s.io/v1'),
    kind: z.literal('SelfSubjectAccessReview'),
    metadata: ObjectMeta.prefault({}),
    spec: z
      .object({
        resourceAttributes: ResourceAttributes.optional(),
        nonResourceAttributes: NonResourceAttributes.optional(),
      })
      .prefault({}),
    status: z
      .object({
        allowed: z.boolean().describe('Whether the action is allowed.'),
        denied: z.boolean().optional().describe('Whether the action is explicitly denied.'),
        reason: z.string().optional().describe('Why the action is allowed or denied.'),
        evaluationError: z.string().optional().describe('What failed while deciding, if anything.'),
      })
      .optional(),
  })
  .superRefine((review, ctx) => {
    const { resourceAttributes, nonResourceAttributes } = review.spec;
    if (resourceAttributes && nonResourceAttributes)
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'nonResourceAttributes'],
        message: invalidValue(
          nonResourceAttributes,
          'cannot be specified in combination with resourceAttributes',
        ),
      });
    if (!resourceAttributes && !nonResourceAttributes)
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'resourceAttributes'],
        message: invalidValue(
          new GoValue('null'),
          'exactly one of nonResourceAttributes or resourceAttributes must be specified',
        ),
      });
    const { managedFields: _ignored, ...metadata } = review.metadata;
    if (Object.keys(metadata).length > 0)
      ctx.addIssue({ code: 'custom', path: ['metadata'], message: invalidValue(metadata, 'must be empty') });
  });
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReview>;

export const SelfSubjectAccessReviewKind: KindInfo = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  shortNames: [],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: SelfSubjectAccessReview,
  fieldSelectors: {},
  review: (object) => ({ ...object, metadata: {}, status: { allowed: true, reason: OPEN_SERVER_REASON } }),
};
