import { typed, type TypeDescriptions } from './type-description';
import { METADATA_FIELD } from './object-meta';

/** Skiff's AccessEntry: who an IAM principal is in the cluster (EKS access entries' shape). */
export const ACCESS_TYPES: TypeDescriptions = {
  AccessEntry: {
    description:
      'Maps an IAM role or user to a Kubernetes user and groups, as an EKS access entry does. On AWS a caller whose verified ARN has no entry is refused with 401; RBAC decides what the user and groups may do.',
    fields: {
      metadata: METADATA_FIELD,
      spec: typed('AccessEntrySpec', 'The principal and who it is in the cluster.'),
    },
  },
  AccessEntrySpec: {
    description: 'An IAM principal and its Kubernetes identity.',
    fields: {
      principalArn:
        'The IAM role or user ARN, e.g. arn:aws:iam::111122223333:role/Developers. Every session of a role matches it. Cannot be changed.',
      username:
        'The Kubernetes user name; may hold {{SessionName}}, {{SessionNameRaw}} and {{AccountID}}. Unset: the ARN STS answers for the caller. Not allowed for type EC2.',
      groups:
        'Kubernetes groups the principal is in, for RBAC bindings; system:authenticated is always added. Not allowed for type EC2.',
      type: 'STANDARD (default) for people and programs; EC2 for the instance role of nodes, which become system:node:<node name> in group system:nodes. Cannot be changed.',
    },
  },
};
