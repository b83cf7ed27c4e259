import { readFileSync } from 'node:fs';
import { EXEC_CREDENTIAL_API_VERSION } from '../auth/eks-token-signer';
import { CliError } from './cli-error';

/**
 * The kubeconfig `skiff kubeconfig` prints: one cluster, one user, one context, all named after
 * the cluster, the user's credential an `exec` plugin that prints an EKS-style token. With
 * `aws` the entry is the one `aws eks update-kubeconfig` writes (EKS's documented form), so
 * a kubeconfig for Skiff and one for EKS differ only in the server; with `skiff` the CLI's own
 * `skiff token` makes the same token without the AWS CLI installed.
 */

export interface KubeconfigOptions {
  readonly clusterName: string;
  readonly server: string;
  /** Which program the exec entry runs. */
  readonly exec: 'aws' | 'skiff';
  /** The program's path, when `aws` or `skiff` is not on kubectl's PATH. */
  readonly execCommand?: string;
  readonly region?: string;
  /** An STS endpoint override for `skiff token` (tests, LocalStack); aws-cli reads AWS_ENDPOINT_URL_STS instead. */
  readonly stsEndpoint?: string;
  /** An AWS profile, passed to the plugin as AWS_PROFILE as update-kubeconfig does. */
  readonly profile?: string;
  /**
   * PEM of the CA that signed the server's certificate, for a server whose certificate is not
   * publicly trusted (API Gateway's is). kubectl sends no credential to a plain-http server.
   */
  readonly certificateAuthority?: string;
}

interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env?: { name: string; value: string }[];
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
  preferences: Record<string, never>;
  users: { name: string; user: { exec: ExecConfig } }[];
}

/** The exec entry's command line: aws-cli's exactly as EKS documents it, or skiff's equivalent. */
export function execArgs(options: KubeconfigOptions): string[] {
  const region = options.region ? ['--region', options.region] : [];
  if (options.exec === 'aws') {
    return [...region, 'eks', 'get-token', '--cluster-name', options.clusterName, '--output', 'json'];
  }
  return [
    'token',
    '--cluster-name',
    options.clusterName,
    ...region,
    ...(options.stsEndpoint ? ['--sts-endpoint', options.stsEndpoint] : []),
  ];
}

export function kubeconfigOf(options: KubeconfigOptions): Kubeconfig {
  const name = options.clusterName;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: options.server,
          ...(options.certificateAuthority
            ? { 'certificate-authority-data': Buffer.from(options.certificateAuthority).toString('base64') }
            : {}),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: EXEC_CREDENTIAL_API_VERSION,
            command: options.execCommand ?? options.exec,
            args: execArgs(options),
            ...(options.profile ? { env: [{ name: 'AWS_PROFILE', value: options.profile }] } : {}),
          },
        },
      },
    ],
  };
}

/** What a deployed stack's outputs say about its API. */
export interface StackApi {
  readonly stackName: string;
  readonly apiUrl: string;
  /** The stack's `ClusterName` output when it has one. */
  readonly clusterName?: string;
}

/**
 * The API URL from the file `cdk deploy --outputs-file` writes (`{ "<stack>": { "ApiUrl": ... } }`):
 * the one stack with an `ApiUrl` output.
 */
export function readStackOutputs(path: string): StackApi {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the stack outputs ${path}: ${(error as Error).message}`);
  }
  const stacks = Object.entries(typeof parsed === 'object' && parsed !== null ? parsed : {}).filter(
    (entry): entry is [string, Record<string, unknown>] =>
      typeof entry[1] === 'object' && entry[1] !== null && typeof entry[1].ApiUrl === 'string',
  );
  if (stacks.length !== 1) {
    throw new CliError(
      `${path} should hold one stack with an ApiUrl output (as cdk deploy --outputs-file writes), found ${stacks.length}`,
    );
  }
  const [stackName, outputs] = stacks[0]!;
  return {
    stackName,
    apiUrl: outputs.ApiUrl as string,
    ...(typeof outputs.ClusterName === 'string' ? { clusterName: outputs.ClusterName } : {}),
  };
}

/** The region of an API Gateway URL (`https://id.execute-api.<region>.amazonaws.com/prod`), if it is one. */
export function regionOfApiUrl(url: string): string | undefined {
  try {
    return /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

type Named = { name?: unknown };

/**
 * `add` merged into an existing kubeconfig as `aws eks update-kubeconfig` merges: its cluster,
 * user and context replace the entries of the same names (or are appended), and its context
 * becomes the current one; everything else in `existing` is kept as it was.
 */
export function mergeKubeconfig(existing: unknown, add: Kubeconfig): Record<string, unknown> {
  if (
    existing !== undefined &&
    existing !== null &&
    (typeof existing !== 'object' || Array.isArray(existing))
  )
    throw new CliError('the kubeconfig to merge into is not a mapping');
  const base = (existing ?? {}) as Record<string, unknown>;
  const merged = (key: 'clusters' | 'contexts' | 'users'): unknown[] => {
    const current = Array.isArray(base[key]) ? (base[key] as Named[]) : [];
    const added = add[key] as Named[];
    const names = new Set(added.map((entry) => entry.name));
    return [...current.filter((entry) => !names.has(entry?.name)), ...added];
  };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    ...base,
    clusters: merged('clusters'),
    contexts: merged('contexts'),
    users: merged('users'),
    'current-context': add['current-context'],
  };
}
