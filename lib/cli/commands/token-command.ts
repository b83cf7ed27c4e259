import { Option, type Command } from 'commander';
import { EksTokenSigner, EXEC_CREDENTIAL_API_VERSION, execCredentialOf } from '../../auth/eks-token-signer';

interface TokenOptions {
  clusterName: string;
  region?: string;
  stsEndpoint?: string;
  tokenOnly?: boolean;
}

/** The ExecCredential versions kubectl may ask for that carry a token in the same shape. */
const EXEC_API_VERSIONS = new Set(['client.authentication.k8s.io/v1', EXEC_CREDENTIAL_API_VERSION]);

/**
 * `skiff token`: what `aws eks get-token` prints, for kubectl's exec credential plugin and any
 * script that wants a bearer token for a deployed Skiff API, signed with the AWS SDK's default
 * credential chain. The apiVersion follows KUBERNETES_EXEC_INFO as aws-cli's does.
 */
export function registerToken(program: Command): void {
  program
    .command('token')
    .description(
      'Print an EKS-style bearer token for the cluster as an ExecCredential (what `aws eks get-token` prints)',
    )
    .requiredOption('--cluster-name <name>', "the cluster's name, as the API's authorizer knows it")
    .option(
      '--region <region>',
      'the STS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, us-east-1)',
    )
    .addOption(
      new Option(
        '--sts-endpoint <url>',
        'an STS endpoint to name instead of the regional one (LocalStack, moto)',
      ),
    )
    .option('--token-only', "print the bare token, for a context's tokenCommand or a curl header")
    .action(async (options: TokenOptions) => {
      const token = await new EksTokenSigner({
        clusterName: options.clusterName,
        ...(options.region ? { region: options.region } : {}),
        ...(options.stsEndpoint ? { stsEndpoint: options.stsEndpoint } : {}),
      }).sign();
      if (options.tokenOnly) return void process.stdout.write(`${token.token}\n`);
      process.stdout.write(`${JSON.stringify(execCredentialOf(token, requestedApiVersion()), null, 4)}\n`);
    });
}

/** The apiVersion kubectl asked for in KUBERNETES_EXEC_INFO, when it is one Skiff answers. */
function requestedApiVersion(env = process.env): string {
  try {
    const info = JSON.parse(env.KUBERNETES_EXEC_INFO ?? '') as { apiVersion?: unknown };
    if (typeof info.apiVersion === 'string' && EXEC_API_VERSIONS.has(info.apiVersion)) return info.apiVersion;
  } catch {
    // Absent or unreadable: run by hand, not by kubectl.
  }
  return EXEC_CREDENTIAL_API_VERSION;
}
