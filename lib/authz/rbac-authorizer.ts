import type { PolicyRule } from '../kinds/policy-rule';
import type { Subject } from '../kinds/rbac-subject';
import type { RoleRef } from '../kinds/rbac-subject';
import { allow, type Decision, noOpinion, type UserInfo } from './decision';
import { ruleAllows } from './policy-rule-match';
import type { RbacPolicySource } from './rbac-policy-source';
import type { RequestAttributes } from './request-attributes';

/** A binding seen by the authorizer: how kube names it in a reason, its role and its subjects. */
interface BindingView {
  /** kube's describer text before " to <subject>": `ClusterRoleBinding "x" of ClusterRole "y"`. */
  describe: string;
  /** "" for a ClusterRoleBinding; a RoleBinding's namespace (a ServiceAccount subject's default). */
  namespace: string;
  roleRef: RoleRef;
  subjects: readonly Subject[];
}

/**
 * kube's RBAC authorizer (plugin/pkg/auth/authorizer/rbac): allows a request when a binding whose
 * subjects include the user grants a role with a rule covering it. ClusterRoleBindings apply
 * everywhere; for a namespaced request, the RoleBindings of that namespace apply too (a RoleBinding
 * of a ClusterRole grants its rules in that namespace only). RBAC never denies: a request it does
 * not allow gets no opinion, with the lookup errors (a missing role) as the reason, as kube's.
 *
 * Nothing is special about `system:masters`: it may do everything only because the default
 * ClusterRoleBinding `cluster-admin` grants it the ClusterRole `cluster-admin`.
 */
export function rbacAuthorizer(policy: RbacPolicySource) {
  return async (user: UserInfo, request: RequestAttributes): Promise<Decision> => {
    const errors: string[] = [];
    const namespace = request.resourceRequest ? request.namespace : '';
    for (const binding of await bindingsFor(policy, namespace)) {
      const subject = binding.subjects.find((s) => appliesTo(user, s, binding.namespace));
      if (!subject) continue;
      const rules = await roleRules(policy, binding, errors);
      if (rules.some((rule) => ruleAllows(request, rule)))
        return allow(
          `RBAC: allowed by ${binding.describe} to ${describeSubject(subject, binding.namespace)}`,
        );
    }
    return noOpinion(errors.length === 0 ? '' : `RBAC: ${aggregate(errors)}`);
  };
}

async function bindingsFor(policy: RbacPolicySource, namespace: string): Promise<BindingView[]> {
  const cluster = (await policy.clusterRoleBindings()).map((b) => ({
    describe: `ClusterRoleBinding "${b.metadata.name ?? ''}" of ${b.roleRef.kind} "${b.roleRef.name}"`,
    namespace: '',
    roleRef: b.roleRef,
    subjects: b.subjects ?? [],
  }));
  if (namespace === '') return cluster;
  const local = (await policy.roleBindings(namespace)).map((b) => ({
    describe: `RoleBinding "${b.metadata.name ?? ''}/${namespace}" of ${b.roleRef.kind} "${b.roleRef.name}"`,
    namespace,
    roleRef: b.roleRef,
    subjects: b.subjects ?? [],
  }));
  return [...cluster, ...local];
}

/** The rules a binding grants; a missing role grants nothing and is noted, as kube's visitor does. */
async function roleRules(
  policy: RbacPolicySource,
  binding: BindingView,
  errors: string[],
): Promise<PolicyRule[]> {
  const { kind, name } = binding.roleRef;
  if (kind === 'ClusterRole') {
    const role = await policy.clusterRole(name);
    if (!role) errors.push(`clusterrole.rbac.authorization.k8s.io "${name}" not found`);
    return role?.rules ?? [];
  }
  if (kind === 'Role' && binding.namespace !== '') {
    const role = await policy.role(binding.namespace, name);
    if (!role) errors.push(`role.rbac.authorization.k8s.io "${name}" not found`);
    return role?.rules ?? [];
  }
  return [];
}

/**
 * kube's appliesToUser: a User subject by name, a Group by membership, a ServiceAccount by its
 * username `system:serviceaccount:<namespace>:<name>` (namespace defaulting to the binding's).
 */
function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.name === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount')
    return `ServiceAccount "${subject.name}/${subject.namespace || bindingNamespace}"`;
  return `${subject.kind} "${subject.name}"`;
}

/** utilerrors.NewAggregate's text: one error alone, or `[a, b]`. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}
