import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CachedEksToken, EksTokenSigner } from '../../auth/eks-token-signer';
import type { BearerTokenProvider } from '../../client/kube-client';
import { SKIFF_CLUSTER_NAME } from '../../config/env-names';
import { ConfigError } from '../../config/parse-env';
import type { AgentConfig } from '../agent-config';
import type { Ec2Instance } from './instance-identity';

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

/**
 * How the agent authenticates to the API: on EC2 with its instance role, for the cluster that
 * SKIFF_CLUSTER_NAME or the instance's cluster tag names; by hand (host identity) with the SDK's
 * default credentials when SKIFF_CLUSTER_NAME is set; otherwise not at all (the local server).
 */
export function agentApiToken(
  config: Pick<AgentConfig, 'clusterName'>,
  instance: Pick<Ec2Instance, 'clusterName' | 'region' | 'credentials'> | undefined,
): { provider: BearerTokenProvider; describe: string } | undefined {
  if (instance !== undefined) {
    const clusterName = config.clusterName ?? instance.clusterName;
    if (clusterName === undefined) {
      throw new ConfigError(
        `${SKIFF_CLUSTER_NAME} is unset and the instance has no skiff.dev/cluster tag: ` +
          'the agent cannot sign its API token for a cluster',
      );
    }
    return {
      provider: nodeApiToken({ clusterName, region: instance.region, credentials: instance.credentials }),
      describe: `instance role tokens for cluster ${clusterName}`,
    };
  }
  if (config.clusterName === undefined) return undefined;
  return {
    provider: nodeApiToken({ clusterName: config.clusterName }),
    describe: `AWS credential tokens for cluster ${config.clusterName}`,
  };
}
