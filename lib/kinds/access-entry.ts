import * as z from 'zod';
import type { FieldCause } from './errors';
import { emptyByDefault } from './empty-by-default';
import { readField } from './field-reader';
import { invalidValue, requiredValue } from './field-error';
import type { KindInfo } from './kind-info';
import { type KubeObject, ObjectMeta } from './meta';

/**
 * skiff.dev/v1alpha1 AccessEntry, cluster-scoped: which Kubernetes user and groups an IAM principal
 * is, as an EKS access entry (or a line of the old aws-auth ConfigMap) says it. The API on AWS
 * verifies a caller's EKS-style token, canonicalises the ARN STS answers (an assumed-role session
 * becomes its role) and looks for the entry whose principalArn is that ARN
 * (lib/auth/identity-mapper.ts); a principal without one is refused with 401. RBAC then decides
 * what the user and groups may do. See docs/auth.md.
 */

/** STANDARD: a person or a program; EC2: the instance role of nodes, which become `system:node:<name>`. */
export const AccessEntryType = z.enum(['STANDARD', 'EC2']);
export type AccessEntryType = z.infer<typeof AccessEntryType>;

/** An IAM role or user ARN (a role's path is allowed; it is ignored when matching sessions). */
const PRINCIPAL_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f):iam::\d{12}:(role|user)\/[\w+=,.@\-/]+$/;

/** The placeholders a username may hold, as EKS and aws-iam-authenticator expand them. */
export const USERNAME_TEMPLATES = ['{{SessionName}}', '{{SessionNameRaw}}', '{{AccountID}}'] as const;

export const AccessEntrySpec = z
  .object({
    principalArn: z.string(),
    /**
     * The Kubernetes user name; may hold `{{SessionName}}` and `{{AccountID}}`. Unset: the ARN STS
     * answered (an assumed role's session ARN), as EKS does.
     */
    username: z.string().optional(),
    /** Kubernetes groups the principal is in, beside system:authenticated. */
    groups: z.array(z.string()).optional(),
    type: AccessEntryType.default('STANDARD'),
  })
  .superRefine((spec, ctx) => {
    if (spec.principalArn === '')
      ctx.addIssue({ code: 'custom', path: ['principalArn'], message: requiredValue() });
    else if (!PRINCIPAL_ARN.test(spec.principalArn))
      ctx.addIssue({
        code: 'custom',
        path: ['principalArn'],
        message: invalidValue(spec.principalArn, 'must be the ARN of an IAM role or user'),
      });
    if (spec.username !== undefined) {
      const rest = USERNAME_TEMPLATES.reduce((text, t) => text.split(t).join(''), spec.username);
      if (spec.username.trim() === '')
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: invalidValue(spec.username, 'must not be empty'),
        });
      else if (rest.includes('{{'))
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: invalidValue(spec.username, `may only use the templates ${USERNAME_TEMPLATES.join(', ')}`),
        });
    }
    spec.groups?.forEach((group, index) => {
      if (group === '') ctx.addIssue({ code: 'custom', path: ['groups', index], message: requiredValue() });
      // As EKS refuses them: system:masters and the like are granted by the stack's own entry only.
      else if (group.startsWith('system:') && group !== 'system:masters')
        ctx.addIssue({
          code: 'custom',
          path: ['groups', index],
          message: invalidValue(
            group,
            'groups beginning with "system:" other than system:masters are reserved',
          ),
        });
    });
    // EKS's EC2 entries take neither: the node's name and group come from the instance.
    if (spec.type === 'EC2' && spec.username !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['username'],
        message: invalidValue(spec.username, 'must not be set for type EC2 (the node name is used)'),
      });
    if (spec.type === 'EC2' && (spec.groups?.length ?? 0) > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: invalidValue(spec.groups, 'must not be set for type EC2 (the group is system:nodes)'),
      });
  });
export type AccessEntrySpec = z.infer<typeof AccessEntrySpec>;

export const AccessEntry = z.object({
  apiVersion: z.literal('skiff.dev/v1alpha1'),
  kind: z.literal('AccessEntry'),
  metadata: emptyByDefault(ObjectMeta),
  spec: AccessEntrySpec,
});
export type AccessEntry = z.infer<typeof AccessEntry>;

export const AccessEntryKind: KindInfo = {
  group: 'skiff.dev',
  version: 'v1alpha1',
  kind: 'AccessEntry',
  plural: 'accessentries',
  singular: 'accessentry',
  shortNames: ['ae'],
  namespaced: false,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: AccessEntry,
  fieldSelectors: { 'spec.principalArn': readField('spec.principalArn') },
  validateUpdate: accessEntryUpdateCauses,
};

/**
 * As EKS's UpdateAccessEntry allows: the user name and groups change, the principal and the type
 * never do (delete the entry and create another).
 */
export function accessEntryUpdateCauses(next: KubeObject, current: KubeObject): FieldCause[] {
  const before = (current as AccessEntry).spec;
  const after = (next as AccessEntry).spec;
  const causes: FieldCause[] = [];
  for (const field of ['principalArn', 'type'] as const)
    if (before[field] !== after[field])
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.${field}`,
        message: invalidValue(after[field], 'field is immutable'),
      });
  return causes;
}
