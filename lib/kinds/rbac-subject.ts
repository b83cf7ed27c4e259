import * as z from 'zod';
import { invalidValue, requiredValue, unsupportedValue } from './field-error';
import { dns1123SubdomainError } from './names';
import { pathSegmentNameError } from './path-segment-name';

/** The API group of every RBAC kind, and of User and Group subjects. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'] as const;

/**
 * rbac.authorization.k8s.io/v1 Subject: who a binding grants its role to. apiGroup is defaulted as
 * SetDefaults_Subject does: `rbac.authorization.k8s.io` for User and Group, "" (so absent, as Go
 * omits it) for ServiceAccount.
 */
const subjectFields = z
  .object({
    kind: z.string().default('').describe('ServiceAccount, User or Group.'),
    apiGroup: z
      .string()
      .optional()
      .describe('"" for a ServiceAccount, rbac.authorization.k8s.io for a User or Group.'),
    name: z.string().default('').describe('The name of the user, group or service account.'),
    namespace: z
      .string()
      .optional()
      .describe("The service account's namespace; required in a ClusterRoleBinding."),
  })
  .transform(({ apiGroup, namespace, ...subject }) => {
    // Go omits the empty apiGroup and namespace (omitempty): a ServiceAccount's stays absent.
    const group = apiGroup || (subject.kind === 'User' || subject.kind === 'Group' ? RBAC_GROUP : '');
    return { ...subject, ...(group ? { apiGroup: group } : {}), ...(namespace ? { namespace } : {}) };
  });
export type Subject = z.infer<typeof subjectFields>;

/**
 * A Subject with kube's ValidateRoleBindingSubject: a name; a ServiceAccount's name is a DNS
 * subdomain, its apiGroup "", and in a ClusterRoleBinding it needs a namespace; Users and Groups
 * belong to the RBAC group.
 */
export function subject(options: { namespaced: boolean }) {
  return subjectFields.superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (value.name === '') issue('name', requiredValue());
    switch (value.kind) {
      case 'ServiceAccount': {
        const error = value.name === '' ? undefined : dns1123SubdomainError(value.name);
        if (error) issue('name', invalidValue(value.name, error));
        if (value.apiGroup) issue('apiGroup', unsupportedValue(value.apiGroup, ['']));
        if (!options.namespaced && !value.namespace) issue('namespace', requiredValue());
        break;
      }
      case 'User':
      case 'Group':
        if (value.apiGroup !== RBAC_GROUP)
          issue('apiGroup', unsupportedValue(value.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        issue('kind', unsupportedValue(value.kind, SUBJECT_KINDS));
    }
  });
}

/**
 * rbac.authorization.k8s.io/v1 RoleRef: the role a binding grants, immutable once created.
 * apiGroup defaults to the RBAC group (SetDefaults_RoleBinding). `kinds` are the role kinds the
 * binding may name: Role or ClusterRole for a RoleBinding, ClusterRole for a ClusterRoleBinding.
 */
export function roleRef(kinds: readonly string[]) {
  return z
    .object({
      apiGroup: z.string().default('').describe('The group of the role: rbac.authorization.k8s.io.'),
      kind: z
        .string()
        .default('')
        .describe(`The kind of the role: ${kinds.join(' or ')}.`),
      name: z.string().default('').describe('The name of the role.'),
    })
    .transform((ref) => (ref.apiGroup ? ref : { ...ref, apiGroup: RBAC_GROUP }))
    .superRefine((ref, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (ref.apiGroup !== RBAC_GROUP) issue('apiGroup', unsupportedValue(ref.apiGroup, [RBAC_GROUP]));
      if (!kinds.includes(ref.kind)) issue('kind', unsupportedValue(ref.kind, kinds));
      if (ref.name === '') issue('name', requiredValue());
      else {
        const error = pathSegmentNameError(ref.name);
        if (error) issue('name', invalidValue(ref.name, error));
      }
    });
}
export type RoleRef = z.infer<ReturnType<typeof roleRef>>;
