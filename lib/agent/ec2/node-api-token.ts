import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CachedEksToken, EksTokenSigner } from '../../auth/eks-token-signer';
import type { BearerTokenProvider } from '../../client/kube-client';

/**
 * The node agent's credential for the API on AWS: an EKS-style token signed with the instance
 * role, as the kubelet on an EKS node gets one from `aws eks get-token` with its node role. The
 * API's authorizer maps the role's session (its name is the instance id) to the node's user, so
 * no key is ever written to the instance. One token serves every request for 10 minutes, well
 * inside STS's 15, and a 401 makes a new one (KubeClient).
 */
export interface NodeApiTokenOptions {
  readonly clusterName: string;
  /** The region the token names STS in: the instance's own; default as the SDK resolves it. */
  readonly region?: string;
  /** Default: the SDK's default chain, for an agent run by hand against a deployed API. */
  readonly credentials?: AwsCredentialIdentityProvider;
}

export function nodeApiToken(options: NodeApiTokenOptions): BearerTokenProvider {
  return new CachedEksToken(
    new EksTokenSigner({
      clusterName: options.clusterName,
      ...(options.region ? { region: options.region } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    }),
  );
}
