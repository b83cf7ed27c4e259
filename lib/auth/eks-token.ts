import { createHash } from 'node:crypto';
import { canonicalArn } from './canonical-arn';
import { parseCallerIdentity } from './caller-identity';
import { TtlLru } from './ttl-lru';

/**
 * Verification of the bearer token `aws eks get-token --cluster-name NAME` prints, checked as
 * aws-iam-authenticator (pkg/token/token.go) checks it: the token is a presigned
 * sts:GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header. Skiff never sees
 * the caller's keys; it proves the caller's identity by making the presigned call itself, with
 * the header set to this cluster's name, and letting STS check the signature. A token minted for
 * another cluster fails there because the header value is part of what was signed.
 */

/** The prefix of a v1 token; the rest is the presigned URL, base64url without padding. */
export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header whose signed value binds a token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** The authenticator's limit on a token's length, in bytes. */
export const MAX_TOKEN_LENGTH = 4 * 1024;
/** STS honours a presigned URL for 15 minutes after its X-Amz-Date, whatever X-Amz-Expires says. */
export const PRESIGNED_URL_LIFETIME_MS = 15 * 60 * 1000;

/** The query parameters a presigned GetCallerIdentity URL may carry (lowercased), as the authenticator allows. */
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/**
 * STS's hosts: the global endpoint and the regional ones in the aws, aws-us-gov and aws-cn
 * partitions. Anything else is refused before any call, so a token cannot make Skiff call a host
 * of the caller's choosing (which would answer any identity it liked).
 */
const STS_HOST =
  /^sts(\.(?:[a-z]{2}(?:-gov)?-[a-z]+-\d+))?\.amazonaws\.com$|^sts\.cn-[a-z]+-\d+\.amazonaws\.com\.cn$/;

/** Who a verified token belongs to. */
export interface AwsIdentity {
  /** The ARN STS answered, e.g. `arn:aws:sts::123456789012:assumed-role/Admin/alice`. */
  readonly arn: string;
  /** The ARN identities are mapped by: an assumed role's role ARN, else `arn` itself. */
  readonly canonicalArn: string;
  readonly accountId: string;
  /** The unique id of the user or role (before the `:` of an assumed role's UserId). */
  readonly userId: string;
  /** An assumed role's session name (an EC2 instance role's is the instance id), else ''. */
  readonly sessionName: string;
  /** The access key that signed the URL, for audit. */
  readonly accessKeyId: string;
}

/** Why a token was refused: malformed (never sent to STS) or refused by STS. */
export class TokenError extends Error {
  constructor(
    readonly kind: 'format' | 'sts',
    message: string,
  ) {
    super(
      kind === 'format'
        ? `input token was not properly formatted: ${message}`
        : `sts getCallerIdentity failed: ${message}`,
    );
    this.name = 'TokenError';
  }
}

export interface EksTokenVerifierOptions {
  /** The cluster name tokens must be minted for (`--cluster-name`). */
  readonly clusterName: string;
  /**
   * Where the verification call goes instead of the token's own host, for tests against moto or
   * LocalStack. The token's host is still checked against STS's hosts: the override only
   * redirects Skiff's own call, it is never taken from the token.
   */
  readonly stsEndpointOverride?: string;
  /** The HTTP client; tests pass one that records calls. */
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
  /** How many verified tokens to remember. */
  readonly cacheSize?: number;
  /** How long to wait for STS before refusing the token. Default 5 s, well inside an authorizer's time. */
  readonly stsTimeoutMs?: number;
}

/** Verifies EKS-style tokens, remembering each verified one until its presigned URL expires. */
export class EksTokenVerifier {
  private readonly fetch: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly cache: TtlLru<AwsIdentity>;
  /** Verifications under way, so concurrent requests with one token make one STS call. */
  private readonly pending = new Map<string, Promise<AwsIdentity>>();

  constructor(private readonly options: EksTokenVerifierOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.cache = new TtlLru(options.cacheSize ?? 256, this.now);
  }

  /** The token's identity; throws TokenError when the token is malformed, expired or refused by STS. */
  async verify(token: string): Promise<AwsIdentity> {
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const presigned = parseToken(token, this.now());
    const underway = this.pending.get(key);
    if (underway !== undefined) return underway;
    const verification = this.callSts(presigned).finally(() => this.pending.delete(key));
    this.pending.set(key, verification);
    const identity = await verification;
    this.cache.set(key, identity, presigned.expiresAt);
    return identity;
  }

  private async callSts(presigned: PresignedUrl): Promise<AwsIdentity> {
    const target = this.options.stsEndpointOverride
      ? new URL(presigned.url.pathname + presigned.url.search, this.options.stsEndpointOverride)
      : presigned.url;
    let response: Response;
    let body: string;
    try {
      response = await this.fetch(target, {
        method: 'GET',
        headers: { [CLUSTER_ID_HEADER]: this.options.clusterName, accept: 'application/json' },
        // A redirect would send the signed URL's answer from elsewhere: refuse it as the authenticator does.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.stsTimeoutMs ?? 5000),
      });
      body = await response.text();
    } catch (error) {
      throw new TokenError('sts', `error during GET: ${(error as Error).message}`);
    }
    if (response.status !== 200) {
      throw new TokenError(
        'sts',
        `error from AWS (expected 200, got ${response.status}). Body: ${body.slice(0, 512)}`,
      );
    }
    const answer = parseCallerIdentity(body);
    if (answer === undefined) throw new TokenError('sts', 'unreadable GetCallerIdentity answer');
    const canonical = canonicalArn(answer.arn);
    if (canonical === undefined) throw new TokenError('sts', `unsupported ARN ${JSON.stringify(answer.arn)}`);
    const userIdParts = answer.userId.split(':');
    if (userIdParts.length > 2)
      throw new TokenError('sts', `malformed UserID ${JSON.stringify(answer.userId)}`);
    return {
      arn: answer.arn,
      canonicalArn: canonical,
      accountId: answer.account,
      userId: userIdParts[0]!,
      sessionName: userIdParts[1] ?? '',
      accessKeyId: presigned.accessKeyId,
    };
  }
}

interface PresignedUrl {
  readonly url: URL;
  readonly expiresAt: number;
  readonly accessKeyId: string;
}

/** The token's presigned URL, after every check that needs no call; throws TokenError('format'). */
export function parseToken(token: string, now: number): PresignedUrl {
  const fail = (message: string): never => {
    throw new TokenError('format', message);
  };
  if (token.length > MAX_TOKEN_LENGTH) fail('token is too large');
  if (!token.startsWith(TOKEN_PREFIX)) fail(`token is missing expected "${TOKEN_PREFIX}" prefix`);
  const encoded = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) fail('illegal base64url data');
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return fail('the token is not a URL');
  }
  if (url.protocol !== 'https:')
    fail(`unexpected scheme "${url.protocol.replace(/:$/, '')}" in pre-signed URL`);
  // `host` includes any port: sts.amazonaws.com:8443 is not STS's host.
  if (!STS_HOST.test(url.host) || url.username !== '' || url.password !== '') {
    fail(`unexpected hostname "${url.host}" in pre-signed URL`);
  }
  if (url.pathname !== '/') fail('unexpected path in pre-signed URL');
  if (url.hash !== '') fail('unexpected fragment in pre-signed URL');

  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    if (!ALLOWED_PARAMETERS.has(lower)) fail(`non-whitelisted query parameter "${key}"`);
    // Stricter than the authenticator, which lets `Action` and `action` overwrite each other.
    if (seen.has(lower)) fail('query parameter with multiple values not supported');
    seen.add(lower);
    params.set(lower, value);
  }
  if (params.get('action') !== 'GetCallerIdentity') fail('unexpected action parameter in pre-signed URL');
  const signedHeaders = (params.get('x-amz-signedheaders') ?? '').split(';').map((h) => h.toLowerCase());
  if (!signedHeaders.includes(CLUSTER_ID_HEADER)) {
    fail(`client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`);
  }
  const expiresParam = params.get('x-amz-expires') ?? '';
  const expires = /^\d+$/.test(expiresParam) ? Number(expiresParam) : NaN;
  if (!(expires >= 0 && expires <= 900))
    fail(`invalid X-Amz-Expires parameter in pre-signed URL: ${expiresParam}`);
  const date = params.get('x-amz-date');
  if (date === undefined || date === '') fail('X-Amz-Date parameter must be present in pre-signed URL');
  const signedAt = parseAmzDate(date!);
  if (signedAt === undefined) fail(`error parsing X-Amz-Date parameter ${date}`);
  const expiresAt = signedAt! + PRESIGNED_URL_LIFETIME_MS;
  if (now > expiresAt) {
    fail(`X-Amz-Date parameter is expired (15 minute expiration) ${new Date(signedAt!).toISOString()}`);
  }
  const accessKeyId = (params.get('x-amz-credential') ?? '').split('/')[0]!;
  return { url, expiresAt, accessKeyId };
}

/** `20060102T150405Z` to epoch milliseconds, or undefined. */
function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject dates Date.UTC silently normalises (month 13, hour 25…).
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return undefined;
  return ms;
}
