import { canonicalArn } from '../../../lib/auth/canonical-arn';
import { parseCallerIdentity } from '../../../lib/auth/caller-identity';
import { EksTokenVerifier, MAX_TOKEN_LENGTH, parseToken, TokenError } from '../../../lib/auth/eks-token';
import { TtlLru } from '../../../lib/auth/ttl-lru';
import { tokenOfUrl } from '../../support/eks-token';

const NOW = Date.UTC(2026, 11, 1, 7, 0, 0);
const QUERY =
  'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=ASIAEXAMPLE%2F20261201%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261201T065500Z' +
  '&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=abc';

function formatError(token: string, now = NOW): string {
  try {
    parseToken(token, now);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).kind).toBe('format');
    return (error as TokenError).message;
  }
  throw new Error('the token was accepted');
}

describe('parseToken (the checks made before any STS call)', () => {
  it('accepts a well-formed token and keeps it until 15 minutes after X-Amz-Date', () => {
    const parsed = parseToken(tokenOfUrl(`https://sts.us-east-1.amazonaws.com/?${QUERY}`), NOW);
    expect(parsed.expiresAt).toBe(Date.UTC(2026, 11, 1, 7, 10, 0));
    expect(parsed.accessKeyId).toBe('ASIAEXAMPLE');
  });

  it.each([
    'sts.amazonaws.com',
    'sts.eu-west-3.amazonaws.com',
    'sts.us-gov-west-1.amazonaws.com',
    'sts.cn-north-1.amazonaws.com.cn',
  ])('accepts the STS host %s', (host) => {
    expect(() => parseToken(tokenOfUrl(`https://${host}/?${QUERY}`), NOW)).not.toThrow();
  });

  it.each([
    ['no prefix', 'k8s-aws-v2.abc', /missing expected "k8s-aws-v1." prefix/],
    ['a token over 4 KiB', 'k8s-aws-v1.' + 'a'.repeat(MAX_TOKEN_LENGTH), /too large/],
    ['padding or non-url base64', 'k8s-aws-v1.aGk=', /illegal base64url/],
    ['http', tokenOfUrl(`http://sts.amazonaws.com/?${QUERY}`), /unexpected scheme "http"/],
    ['another host', tokenOfUrl(`https://sts.amazonaws.com.example.org/?${QUERY}`), /unexpected hostname/],
    ['credentials in the URL', tokenOfUrl(`https://u:p@sts.amazonaws.com/?${QUERY}`), /unexpected hostname/],
    ['another path', tokenOfUrl(`https://sts.amazonaws.com/x?${QUERY}`), /unexpected path/],
    [
      'an unknown parameter',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY}&DurationSeconds=1`),
      /non-whitelisted/,
    ],
    [
      'a repeated parameter',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY}&action=GetCallerIdentity`),
      /multiple values/,
    ],
    [
      'another action',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY.replace('GetCallerIdentity', 'AssumeRole')}`),
      /unexpected action/,
    ],
    [
      'the cluster header unsigned',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY.replace('%3Bx-k8s-aws-id', '')}`),
      /did not sign the x-k8s-aws-id header/,
    ],
    [
      'X-Amz-Expires over 900',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY.replace('Expires=60', 'Expires=901')}`),
      /X-Amz-Expires/,
    ],
    [
      'no X-Amz-Date',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY.replace(/&X-Amz-Date=[^&]*/, '')}`),
      /X-Amz-Date parameter must be present/,
    ],
    [
      'a malformed date',
      tokenOfUrl(`https://sts.amazonaws.com/?${QUERY.replace('T065500Z', 'T256500Z')}`),
      /error parsing X-Amz-Date/,
    ],
  ])('refuses %s', (_name, token, message) => {
    expect(formatError(token)).toMatch(message);
  });

  it('refuses a token one second past its 15 minutes', () => {
    const token = tokenOfUrl(`https://sts.amazonaws.com/?${QUERY}`);
    expect(() => parseToken(token, Date.UTC(2026, 11, 1, 7, 10, 0))).not.toThrow();
    expect(formatError(token, Date.UTC(2026, 11, 1, 7, 10, 1))).toMatch(/expired/);
  });
});

describe('canonicalArn (aws-iam-authenticator arn.Canonicalize)', () => {
  it.each([
    ['arn:aws:sts::123456789012:assumed-role/Admin/alice', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws-cn:sts::123456789012:assumed-role/Node/i-0abc', 'arn:aws-cn:iam::123456789012:role/Node'],
    ['arn:aws:iam::123456789012:role/team/Admin', 'arn:aws:iam::123456789012:role/team/Admin'],
    ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::123456789012:user/bob'],
    ['arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:root'],
    ['arn:aws:sts::123456789012:federated-user/carol', 'arn:aws:sts::123456789012:federated-user/carol'],
  ])('maps %s to %s', (arn, canonical) => {
    expect(canonicalArn(arn)).toBe(canonical);
  });

  it.each([
    'arn:aws:sts::123456789012:user/moto',
    'arn:aws:sts::123456789012:assumed-role/Admin',
    'arn:aws:s3:::bucket',
    'nope',
  ])('maps no identity for %s', (arn) => {
    expect(canonicalArn(arn)).toBeUndefined();
  });
});

describe('parseCallerIdentity', () => {
  const identity = { arn: 'arn:aws:iam::123456789012:user/a&b', account: '123456789012', userId: 'AIDA1' };

  it('reads the JSON STS answers to accept: application/json', () => {
    const body = JSON.stringify({
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Arn: identity.arn, Account: identity.account, UserId: identity.userId },
        ResponseMetadata: { RequestId: 'r' },
      },
    });
    expect(parseCallerIdentity(body)).toEqual(identity);
  });

  it('reads the query protocol XML, entities decoded', () => {
    const body =
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      '<Arn>arn:aws:iam::123456789012:user/a&amp;b</Arn><UserId>AIDA1</UserId><Account>123456789012</Account>' +
      '</GetCallerIdentityResult></GetCallerIdentityResponse>';
    expect(parseCallerIdentity(body)).toEqual(identity);
  });

  it('reads nothing from an error or an answer without an ARN', () => {
    expect(
      parseCallerIdentity('<ErrorResponse><Error><Code>x</Code></Error></ErrorResponse>'),
    ).toBeUndefined();
    expect(
      parseCallerIdentity('{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"1"}}}'),
    ).toBeUndefined();
    expect(parseCallerIdentity('{not json')).toBeUndefined();
  });
});

describe('TtlLru', () => {
  it('forgets entries past their deadline and the least recently used beyond capacity', () => {
    let now = 0;
    const lru = new TtlLru<string>(2, () => now);
    lru.set('a', 'A', 100);
    lru.set('b', 'B', 50);
    expect(lru.get('a')).toBe('A');
    lru.set('c', 'C', 100);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    now = 101;
    expect(lru.get('a')).toBeUndefined();
    expect(lru.size).toBe(1);
  });
});

describe('EksTokenVerifier, STS unreachable', () => {
  const token = tokenOfUrl(`https://sts.us-east-1.amazonaws.com/?${QUERY}`);

  it('refuses the token when STS does not answer in time, and does not cache the refusal', async () => {
    let calls = 0;
    // An STS that never answers: only the verifier's timeout ends the call.
    const silent = (async (_input: unknown, init?: RequestInit) => {
      calls += 1;
      return new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)),
      );
    }) as typeof globalThis.fetch;
    const verifier = new EksTokenVerifier({
      clusterName: 'c',
      fetch: silent,
      now: () => NOW,
      stsTimeoutMs: 50,
    });
    await expect(verifier.verify(token)).rejects.toThrow(/sts getCallerIdentity failed: error during GET/);
    await expect(verifier.verify(token)).rejects.toThrow(TokenError);
    expect(calls).toBe(2);
  });

  it("calls the token's own STS host when no override is configured, with the cluster name header", async () => {
    const seen: { url: string; headers: Headers; redirect?: RequestInit['redirect'] }[] = [];
    const recording = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), headers: new Headers(init?.headers), redirect: init?.redirect });
      return new Response(
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bob</Arn>' +
          '<UserId>AIDA1</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
      );
    }) as typeof globalThis.fetch;
    const verifier = new EksTokenVerifier({ clusterName: 'prod', fetch: recording, now: () => NOW });
    expect((await verifier.verify(token)).canonicalArn).toBe('arn:aws:iam::123456789012:user/bob');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`https://sts.us-east-1.amazonaws.com/?${QUERY}`);
    expect(seen[0]!.headers.get('x-k8s-aws-id')).toBe('prod');
    expect(seen[0]!.redirect).toBe('manual');
  });
});
