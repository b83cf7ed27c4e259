import * as z from 'zod';
import type { Authorizer } from '../authz/authorizer';
import { allow, noOpinion } from '../authz/decision';
import { ruleAllows } from '../authz/policy-rule-match';
import type { PolicyRule } from '../kinds/policy-rule';

/**
 * What an operator deployed on AWS may do through the API, and no more: read and update its
 * parents and their status, manage objects of its child kinds, and record Events. Like kube's node
 * authorizer, the grant is built in (from the stack, SKIFF_OPERATORS) rather than stored as RBAC
 * objects, so nobody can widen it with a binding by mistake, and it ends with the operator.
 */

/** An operator's user: `skiff:operator:<name>`, in the `skiff:operators` group. */
export const OPERATOR_USER_PREFIX = 'skiff:operator:';
export const OPERATORS_GROUP = 'skiff:operators';

/** A resource an operator touches: its API group ('' for core) and plural. */
export interface GrantedResource {
  group: string;
  plural: string;
}

/** One operator's grant, as the stack writes it into SKIFF_OPERATORS. */
export const OperatorGrant = z.object({
  name: z.string().min(1),
  /** Its function's role: the sessions of this role are the operator's user. */
  roleArn: z.string().min(1),
  parent: z.object({ group: z.string(), plural: z.string().min(1) }),
  children: z.array(z.object({ group: z.string(), plural: z.string().min(1) })),
});
export type OperatorGrant = z.infer<typeof OperatorGrant>;

const READ = ['get', 'list', 'watch'];

/** The RBAC rules an operator's grant amounts to. */
export function operatorRules(grant: Pick<OperatorGrant, 'parent' | 'children'>): PolicyRule[] {
  const { parent } = grant;
  return [
    // Its parents: read them, and update them for the finalizer of a finalize hook.
    { verbs: [...READ, 'update', 'patch'], apiGroups: [parent.group], resources: [parent.plural] },
    { verbs: ['get', 'update', 'patch'], apiGroups: [parent.group], resources: [`${parent.plural}/status`] },
    ...grant.children.map((child) => ({
      verbs: [...READ, 'create', 'update', 'patch', 'delete'],
      apiGroups: [child.group],
      resources: [child.plural],
    })),
    { verbs: ['get', 'create', 'update', 'patch'], apiGroups: [''], resources: ['events'] },
  ];
}

/**
 * The authorizer for the stack's operators: a request of an operator's user is allowed when its
 * grant covers it; anything else gets no opinion here (RBAC may still allow it).
 */
export function operatorAuthorizer(grants: readonly OperatorGrant[]): Authorizer {
  const rules = new Map(
    grants.map((grant) => [`${OPERATOR_USER_PREFIX}${grant.name}`, operatorRules(grant)]),
  );
  return async (user, request) => {
    const granted = rules.get(user.name);
    if (!granted || !user.groups.includes(OPERATORS_GROUP)) return noOpinion();
    return granted.some((rule) => ruleAllows(request, rule))
      ? allow(`operator ${user.name.slice(OPERATOR_USER_PREFIX.length)} is granted this`)
      : noOpinion();
  };
}
