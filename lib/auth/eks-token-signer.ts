import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256Node } from '@smithy/core/checksum';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CLUSTER_ID_HEADER, PRESIGNED_URL_LIFETIME_MS, TOKEN_PREFIX } from './eks-token';

/**
 * The client side of EKS-style authentication: the bearer token `aws eks get-token
 * --cluster-name NAME` prints, made from AWS credentials with the AWS SDK's own SigV4 signer.
 * The token is `k8s-aws-v1.` + base64url (no padding) of a GET sts:GetCallerIdentity URL,
 * presigned for 60 seconds with the `x-k8s-aws-id: NAME` header among the signed headers, so it
 * is valid for one cluster only; STS honours it for 15 minutes after signing (eks-token.ts).
 * Signing makes no call: the keys never leave this process, only the signature does.
 */

/** How long the presigned URL says it is valid (aws-cli's ExpiresIn); STS allows 15 minutes regardless. */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** aws-cli reports a token as expiring 14 minutes after signing, a minute inside STS's 15. */
export const REPORTED_LIFETIME_MS = 14 * 60 * 1000;
/** Where signing goes when no region is configured anywhere, as STS's global endpoint signs. */
export const DEFAULT_REGION = 'us-east-1';

/** A signed token and when a client should stop using it. */
export interface EksToken {
  readonly token: string;
  readonly signedAt: Date;
  /** Signing time + 14 minutes: what aws-cli prints as `expirationTimestamp`. */
  readonly expiresAt: Date;
}

export interface EksTokenSignerOptions {
  /** The cluster the token is for: the verifier's `--cluster-name`. */
  readonly clusterName: string;
  /** The region whose STS endpoint the token names; default: resolveRegion(). */
  readonly region?: string;
  /** Default: the SDK's default chain (environment, shared config and SSO, process, web identity, ECS, IMDS). */
  readonly credentials?: AwsCredentialIdentityProvider;
  /**
   * A URL to name instead of STS's regional endpoint (LocalStack, moto, a private endpoint):
   * its scheme, host and port go into the signed URL. Skiff's verifier accepts only STS's own
   * hosts, so a token for Skiff's API leaves this unset even against LocalStack (the API's
   * authorizer redirects its own call there instead).
   */
  readonly stsEndpoint?: string;
  readonly now?: () => number;
}

/** STS's regional host for `region`: `sts.<region>.amazonaws.com` (`.com.cn` in China). */
export function stsHostOf(region: string): string {
  if (region === 'aws-global') return 'sts.amazonaws.com';
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/.test(region)) {
    throw new Error(`"${region}" is not an AWS region name`);
  }
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/**
 * The region as the AWS SDK and CLI find it: `explicit`, else AWS_REGION / AWS_DEFAULT_REGION
 * (the CLI's name), else the profile's `region` in ~/.aws/config, else us-east-1.
 */
export async function resolveRegion(
  explicit?: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  if (explicit) return explicit;
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    return await loadConfig(
      { ...NODE_REGION_CONFIG_OPTIONS, default: () => DEFAULT_REGION },
      NODE_REGION_CONFIG_FILE_OPTIONS,
    )();
  } catch {
    // An unreadable config file is no reason to refuse: sign for the default region as aws-cli does.
    return DEFAULT_REGION;
  }
}

/** Makes EKS-style tokens for one cluster; each sign() is a new token signed now. */
export class EksTokenSigner {
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly now: () => number;

  constructor(private readonly options: EksTokenSignerOptions) {
    if (options.clusterName === '') throw new Error('a token needs a cluster name');
    // defaultProvider memoizes and refreshes credentials as they near expiry, as SDK clients do.
    this.credentials = options.credentials ?? defaultProvider();
    this.now = options.now ?? Date.now;
  }

  async sign(): Promise<EksToken> {
    const region = await resolveRegion(this.options.region);
    const credentials = await this.credentials();
    const signedAt = new Date(Math.floor(this.now() / 1000) * 1000);
    const url = await presignCallerIdentity({
      clusterName: this.options.clusterName,
      region,
      endpoint: new URL(this.options.stsEndpoint ?? `https://${stsHostOf(region)}`),
      credentials,
      signedAt,
    });
    return {
      token: TOKEN_PREFIX + Buffer.from(url).toString('base64url'),
      signedAt,
      expiresAt: new Date(signedAt.getTime() + REPORTED_LIFETIME_MS),
    };
  }
}

/** The presigned GET sts:GetCallerIdentity URL, as botocore's generate_presigned_url builds it. */
async function presignCallerIdentity(input: {
  clusterName: string;
  region: string;
  endpoint: URL;
  credentials: AwsCredentialIdentity;
  signedAt: Date;
}): Promise<string> {
  const { endpoint } = input;
  const signer = new SignatureV4({
    service: 'sts',
    // The global endpoint signs for us-east-1.
    region: input.region === 'aws-global' ? DEFAULT_REGION : input.region,
    credentials: input.credentials,
    sha256: Sha256Node,
  });
  const request = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, [CLUSTER_ID_HEADER]: input.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: input.signedAt },
  );
  const query = Object.entries(request.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${endpoint.protocol}//${endpoint.host}/?${query}`;
}

/** The ExecCredential kubectl reads from an exec plugin, as `aws eks get-token` prints it. */
export interface ExecCredential {
  readonly kind: 'ExecCredential';
  readonly apiVersion: string;
  readonly spec: Record<string, never>;
  readonly status: { readonly expirationTimestamp: string; readonly token: string };
}

/** The apiVersion kubectl's exec plugins are asked for and answer with (EKS documents v1beta1). */
export const EXEC_CREDENTIAL_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * `token` as an ExecCredential. `apiVersion` follows what kubectl passes in KUBERNETES_EXEC_INFO,
 * as aws-cli does, so a kubeconfig asking for v1 gets v1; the timestamp is RFC 3339 in seconds.
 */
export function execCredentialOf(token: EksToken, apiVersion = EXEC_CREDENTIAL_API_VERSION): ExecCredential {
  return {
    kind: 'ExecCredential',
    apiVersion,
    spec: {},
    status: {
      expirationTimestamp: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      token: token.token,
    },
  };
}

/** How early a cached token is replaced: well before STS's 15 minutes run out. */
export const TOKEN_REFRESH_AFTER_MS = 10 * 60 * 1000;

/**
 * One token reused until it is `refreshAfterMs` old, then re-signed, for a long-running client
 * (the node agent): a request never carries a token near its end, and a burst of requests
 * shares one signing. `renew()` drops the token at once, for a client answered 401.
 */
export class CachedEksToken {
  private signed: EksToken | undefined;
  private signing: Promise<EksToken> | undefined;
  private readonly now: () => number;
  private readonly refreshAfterMs: number;

  constructor(
    private readonly signer: Pick<EksTokenSigner, 'sign'>,
    options: { refreshAfterMs?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.refreshAfterMs = Math.min(
      options.refreshAfterMs ?? TOKEN_REFRESH_AFTER_MS,
      PRESIGNED_URL_LIFETIME_MS,
    );
  }

  async token(): Promise<string> {
    const held = this.signed;
    if (held !== undefined && this.now() - held.signedAt.getTime() < this.refreshAfterMs) return held.token;
    this.signing ??= this.signer
      .sign()
      .then((token) => (this.signed = token))
      .finally(() => (this.signing = undefined));
    return (await this.signing).token;
  }

  /** A new token on the next token() call. */
  renew(): void {
    this.signed = undefined;
  }
}
