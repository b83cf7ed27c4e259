import { createHash, createHmac, type Hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

/** SHA-256 for the signer, on node's crypto (what @aws-crypto/sha256-js would give the SDK). */
class Sha256 {
  private hash: Hash;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash {
    // The signer passes its HMAC key as the constructor argument.
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac('sha256', key) as unknown as Hash;
  }
}

export interface PresignOptions {
  readonly clusterName: string;
  readonly credentials: AwsCredentialIdentity;
  readonly region?: string;
  /** The host the URL names; STS's regional host unless a test wants another. */
  readonly host?: string;
  readonly signingDate?: Date;
  readonly action?: string;
  readonly version?: string;
  readonly expiresIn?: number;
}

/**
 * GetCallerIdentity presigned as `aws eks get-token` presigns it: with the AWS SDK's SigV4
 * signer, for 60 seconds, the `x-k8s-aws-id` header among the signed headers.
 */
export async function presignGetCallerIdentity(options: PresignOptions): Promise<URL> {
  const region = options.region ?? 'us-east-1';
  const host = options.host ?? `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: options.action ?? 'GetCallerIdentity', Version: options.version ?? '2011-06-15' },
      headers: { host, 'x-k8s-aws-id': options.clusterName },
    },
    {
      expiresIn: options.expiresIn ?? 60,
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return new URL(`https://${host}/?${query}`);
}

/** A token as `aws eks get-token --cluster-name NAME` mints it: `k8s-aws-v1.` + base64url of the URL. */
export async function mintEksToken(options: PresignOptions): Promise<string> {
  return tokenOfUrl(await presignGetCallerIdentity(options));
}

/** The presigned URL inside a token. */
export function urlOfToken(token: string): URL {
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

/** A token carrying `url` as it is. */
export function tokenOfUrl(url: URL | string): string {
  return 'k8s-aws-v1.' + Buffer.from(String(url)).toString('base64url');
}
