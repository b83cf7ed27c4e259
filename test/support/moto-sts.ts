import { timingSafeEqual } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';
import { TokenError } from '../../lib/auth/eks-token';
import { presignGetCallerIdentity } from './eks-token';

/**
 * moto server as STS for the token verifier's tests, with the one check moto leaves out.
 *
 * moto answers GetCallerIdentity for whichever access key the request names but checks no
 * signature, and it finds the service a request is for from the Authorization header's scope,
 * which a presigned URL carries in its query instead. So the fetch this returns, for the keys
 * it knows, first checks the signature as STS does — the presigned URL re-signed with the
 * request's own query values and the `x-k8s-aws-id` header the verifier sent — answering 403
 * SignatureDoesNotMatch when it differs, then forwards the call to moto with the scope in an
 * Authorization header. A verifier that sent another cluster's name, or a URL whose query was
 * changed after signing, is refused as real STS refuses it.
 */
export function motoStsFetch(
  motoEndpoint: string,
  keys: ReadonlyMap<string, AwsCredentialIdentity>,
  signedHost: string,
): { fetch: typeof globalThis.fetch; calls: string[] } {
  const calls: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    calls.push(url.toString());
    const query = url.searchParams;
    const credential = query.get('X-Amz-Credential') ?? '';
    const [accessKeyId, day, region, service] = credential.split('/');
    const key = keys.get(accessKeyId ?? '');
    if (key === undefined)
      return new Response('<Error><Code>InvalidClientTokenId</Code></Error>', { status: 403 });
    const headers = new Headers(init?.headers);
    const expected = await presignGetCallerIdentity({
      host: signedHost,
      region: region ?? '',
      credentials: key,
      clusterName: headers.get('x-k8s-aws-id') ?? '',
      signingDate: amzDate(query.get('X-Amz-Date') ?? ''),
      action: query.get('Action') ?? '',
      version: query.get('Version') ?? '',
      expiresIn: Number(query.get('X-Amz-Expires')),
    });
    const sameQuery =
      [...query.keys()].sort().join('&') === [...expected.searchParams.keys()].sort().join('&') &&
      [...expected.searchParams].every(([k, v]) => k === 'X-Amz-Signature' || query.get(k) === v);
    const given = Buffer.from(query.get('X-Amz-Signature') ?? '');
    const wanted = Buffer.from(expected.searchParams.get('X-Amz-Signature') ?? '');
    if (!sameQuery || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return new Response('<Error><Code>SignatureDoesNotMatch</Code></Error>', { status: 403 });
    }
    headers.set(
      'authorization',
      `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${day}/${region}/${service}/aws4_request, SignedHeaders=host, Signature=x`,
    );
    return globalThis.fetch(new URL(url.pathname + url.search, motoEndpoint), { ...init, headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** Temporary credentials for a session of `roleArn`, from moto's AssumeRole. */
export async function motoAssumeRole(
  motoEndpoint: string,
  roleArn: string,
  sessionName: string,
): Promise<AwsCredentialIdentity> {
  const answer = await globalThis.fetch(motoEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x',
    },
    body: new URLSearchParams({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: sessionName,
    }),
  });
  const xml = await answer.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const accessKeyId = field('AccessKeyId');
  const secretAccessKey = field('SecretAccessKey');
  if (accessKeyId === undefined || secretAccessKey === undefined)
    throw new Error(`moto AssumeRole answered ${xml}`);
  return { accessKeyId, secretAccessKey, sessionToken: field('SessionToken') };
}

function amzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(NaN);
}

/** What a verifier threw for a token it refused (fails the test if it accepted the token). */
export async function tokenRefusal(verification: Promise<unknown>): Promise<TokenError> {
  try {
    await verification;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}
