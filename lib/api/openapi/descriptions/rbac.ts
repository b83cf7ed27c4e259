import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

const STORED_ONLY = 'Skiff stores and validates RBAC objects; enforcing them is for the AWS deployment.';

/** RBAC roles and bindings, and the self access reviews kubectl auth uses. */
export const RBAC_TYPES: TypeDescriptions = {
  Role: {
    description: `A set of permissions within one namespace. ${STORED_ONLY}`,
    fields: {
      metadata: METADATA_FIELD,
      rules: typed('PolicyRule', 'The permissions; each rule adds to the others.'),
    },
  },
  ClusterRole: {
    description: `A set of permissions across the cluster, or to grant in namespaces through RoleBindings. ${STORED_ONLY}`,
    fields: {
      metadata: METADATA_FIELD,
      rules: typed('PolicyRule', 'The permissions; each rule adds to the others.'),
      aggregationRule: typed(
        'AggregationRule',
        'Builds the rules from other ClusterRoles instead: the server fills rules from those the selectors match.',
      ),
    },
  },
  PolicyRule: {
    description: 'Allows some verbs on some resources (or URL paths).',
    fields: {
      verbs:
        'Allowed verbs: get, list, watch, create, update, patch, delete, deletecollection, or * for all.',
      apiGroups: 'API groups of the resources; "" is the core group, * every group.',
      resources: 'Resources covered, subresources as pods/log; * is all.',
      resourceNames: 'Limits the rule to objects with these names; empty means all.',
      nonResourceURLs: 'URL paths that are not resources, e.g. /healthz or /api/*. Only in ClusterRoles.',
    },
  },
  AggregationRule: {
    description: 'Which ClusterRoles an aggregated ClusterRole is made of.',
    fields: {
      clusterRoleSelectors: typed(
        'LabelSelector',
        'ClusterRoles matching any of these selectors contribute their rules.',
      ),
    },
  },
  RoleBinding: {
    description: `Grants a Role's (or a ClusterRole's) permissions within the binding's namespace to subjects. ${STORED_ONLY}`,
    fields: {
      metadata: METADATA_FIELD,
      subjects: typed('Subject', 'Who gets the permissions.'),
      roleRef: typed('RoleRef', 'The Role or ClusterRole granted. Cannot be changed.'),
    },
  },
  ClusterRoleBinding: {
    description: `Grants a ClusterRole's permissions across the whole cluster to subjects. ${STORED_ONLY}`,
    fields: {
      metadata: METADATA_FIELD,
      subjects: typed('Subject', 'Who gets the permissions.'),
      roleRef: typed('RoleRef', 'The ClusterRole granted. Cannot be changed.'),
    },
  },
  Subject: {
    description: 'A user, group or service account.',
    fields: {
      kind: 'User, Group or ServiceAccount.',
      apiGroup: 'rbac.authorization.k8s.io for User and Group; "" for ServiceAccount.',
      name: 'Name of the user, group or service account.',
      namespace: "The service account's namespace; empty for users and groups.",
    },
  },
  RoleRef: {
    description: 'The role a binding grants.',
    fields: {
      apiGroup: 'rbac.authorization.k8s.io.',
      kind: 'Role or ClusterRole.',
      name: 'Name of the role.',
    },
  },
  SelfSubjectAccessReview: {
    description:
      'Asks whether the caller may perform an action (kubectl auth can-i). Created, answered and not stored. On AWS the authorizers answer for the caller; the local server allows everything.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed(
        'SelfSubjectAccessReviewSpec',
        'The action asked about; exactly one of the two attributes.',
      ),
      status: typed('SubjectAccessReviewStatus', 'The answer, filled by the server.'),
    },
  },
  SelfSubjectReview: {
    description:
      'Asks who the caller is (kubectl auth whoami). Created, answered with the user info the server authenticated, and not stored. The local server sees every caller as system:anonymous.',
    fields: {
      metadata: METADATA_FIELD,
      status: typed('SelfSubjectReviewStatus', 'The answer, filled by the server.'),
    },
  },
  SelfSubjectReviewStatus: {
    description: 'The user info of the caller.',
    fields: { userInfo: typed('UserInfo', 'The attributes of the user making this request.') },
  },
  UserInfo: {
    description: 'The information about a user that an authenticator provides.',
    fields: {
      username: 'The name that uniquely identifies this user among all active users.',
      uid: 'A unique value that identifies this user across time.',
      groups: 'The names of groups this user is a part of.',
      extra: "Any additional information provided by the authenticator (on AWS, the caller's ARN).",
    },
  },
  SelfSubjectAccessReviewSpec: {
    description: 'The action a review asks about.',
    fields: {
      resourceAttributes: typed('ResourceAttributes', 'A verb on a resource.'),
      nonResourceAttributes: typed('NonResourceAttributes', 'A verb on a URL path.'),
    },
  },
  ResourceAttributes: {
    description: 'A request on a resource.',
    fields: {
      namespace: 'Namespace of the object; empty for cluster-scoped resources or all namespaces.',
      verb: 'The verb: get, list, watch, create, update, patch, delete, ..., or * for all.',
      group: 'API group of the resource; "" for the core group.',
      version: 'API version of the resource.',
      resource: 'The resource, e.g. pods.',
      subresource: 'The subresource, e.g. log.',
      name: 'Name of the object; empty for all.',
    },
  },
  NonResourceAttributes: {
    description: 'A request on a path that is not a resource.',
    fields: {
      path: 'The URL path, e.g. /healthz.',
      verb: 'The HTTP verb in lower case, e.g. get.',
    },
  },
  SubjectAccessReviewStatus: {
    description: 'The answer to an access review.',
    fields: {
      allowed: 'Whether the action is allowed.',
      denied: 'Whether the action is explicitly denied (allowed is then false too).',
      reason: 'Why, for people.',
      evaluationError: 'What went wrong while deciding, if anything.',
    },
  },
  SelfSubjectRulesReview: {
    description:
      'Lists what the caller may do in a namespace (kubectl auth can-i --list). Created, answered and not stored.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('SelfSubjectRulesReviewSpec', 'The namespace asked about.'),
      status: 'The rules that apply to the caller, filled by the server.',
    },
  },
  SelfSubjectRulesReviewSpec: {
    description: 'What a rules review asks about.',
    fields: { namespace: 'The namespace to list the rules of.' },
  },
};
