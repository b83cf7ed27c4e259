import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { parse, stringify } from 'yaml';
import { CliError } from '../cli-error';
import {
  kubeconfigOf,
  mergeKubeconfig,
  readStackOutputs,
  regionOfApiUrl,
  type Kubeconfig,
} from '../kubeconfig';

interface KubeconfigCommandOptions {
  clusterName?: string;
  server?: string;
  stackOutputs?: string;
  exec: 'aws' | 'skiff';
  execCommand?: string;
  region?: string;
  stsEndpoint?: string;
  profile?: string;
  certificateAuthority?: string;
  kubeconfig?: string;
}

/**
 * `skiff kubeconfig`: a kubeconfig for a deployed Skiff whose user runs `aws eks get-token` (the
 * entry `aws eks update-kubeconfig` writes) or `skiff token`, printed for the user to save or
 * merge. The server comes from `--server` or from `cdk deploy --outputs-file`'s file; the region,
 * unless given, from the API Gateway URL, so the token names the API's own regional STS.
 */
export function registerKubeconfig(program: Command): void {
  program
    .command('kubeconfig')
    .description('Print a kubeconfig for a deployed Skiff whose user gets EKS-style tokens from aws or skiff')
    .option(
      '--cluster-name <name>',
      "the cluster's name (default: the stack's ClusterName output, else its name)",
    )
    .option('--stack-outputs <file>', 'the file `cdk deploy --outputs-file` wrote: its ApiUrl is the server')
    .addOption(
      new Option('--exec <program>', 'what makes the token').choices(['aws', 'skiff']).default('aws'),
    )
    .option('--exec-command <path>', 'the path of that program, when it is not on PATH as aws or skiff')
    .option('--region <region>', "the STS region the token is signed for (default: the API URL's region)")
    .option('--sts-endpoint <url>', 'an STS endpoint for `skiff token` to name (LocalStack, moto)')
    .option('--profile <name>', 'an AWS profile, given to the token command as AWS_PROFILE')
    .option(
      '--kubeconfig <path>',
      'merge into this kubeconfig file instead of printing (as update-kubeconfig)',
    )
    .option(
      '--certificate-authority <file>',
      'a PEM CA for a server whose certificate is not publicly trusted',
    )
    .addHelpText('after', '\nThe server is -s/--server URL, or the ApiUrl of --stack-outputs.')
    .action((_options: KubeconfigCommandOptions, command: Command) => {
      // --server is the program's own option: read it with the globals.
      const options = command.optsWithGlobals<KubeconfigCommandOptions>();
      if (options.server !== undefined && options.stackOutputs !== undefined)
        throw new CliError('give --server or --stack-outputs, not both');
      const stack = options.stackOutputs !== undefined ? readStackOutputs(options.stackOutputs) : undefined;
      const server = options.server ?? stack?.apiUrl;
      if (server === undefined) throw new CliError('a kubeconfig needs --server URL or --stack-outputs FILE');
      const clusterName = options.clusterName ?? stack?.clusterName ?? stack?.stackName;
      if (clusterName === undefined) throw new CliError('a kubeconfig needs --cluster-name');
      if (options.exec === 'aws' && options.stsEndpoint !== undefined)
        throw new CliError('--sts-endpoint is for --exec skiff; aws-cli reads AWS_ENDPOINT_URL_STS');
      const region = options.region ?? regionOfApiUrl(server);
      const kubeconfig = kubeconfigOf({
        clusterName,
        server,
        exec: options.exec,
        ...(options.execCommand ? { execCommand: options.execCommand } : {}),
        ...(region ? { region } : {}),
        ...(options.stsEndpoint ? { stsEndpoint: options.stsEndpoint } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        ...(options.certificateAuthority
          ? { certificateAuthority: readCertificateAuthority(options.certificateAuthority) }
          : {}),
      });
      if (options.kubeconfig === undefined) return void process.stdout.write(stringify(kubeconfig));
      const existed = mergeInto(options.kubeconfig, kubeconfig);
      process.stdout.write(
        `${existed ? 'Updated' : 'Added new'} context ${clusterName} in ${options.kubeconfig}\n`,
      );
    });
}

function readCertificateAuthority(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the certificate authority ${path}: ${(error as Error).message}`);
  }
}

/** Merges `kubeconfig` into the file at `path` (made when missing, owner-only as kubectl writes it); whether the context existed. */
function mergeInto(path: string, kubeconfig: Kubeconfig): boolean {
  let existing: unknown;
  if (existsSync(path)) {
    try {
      existing = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new CliError(`cannot read the kubeconfig ${path}: ${(error as Error).message}`);
    }
  }
  const contexts = (existing as { contexts?: unknown } | undefined)?.contexts;
  const existed =
    Array.isArray(contexts) &&
    contexts.some((entry) => (entry as { name?: unknown })?.name === kubeconfig['current-context']);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(mergeKubeconfig(existing, kubeconfig)), { mode: 0o600 });
  return existed;
}
