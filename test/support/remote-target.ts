import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNotFound } from '../../lib/client/api-error';
import type { KubeClient } from '../../lib/client/kube-client';
import type { ResourceRef } from '../../lib/client/resource-path';
import { PROJECT_ROOT } from './engines/project-root';
import { eventually } from './eventually';

/**
 * The remote test target: a deployed Skiff (on LocalStack, or AWS) that the API and controller
 * end-to-end suites run against instead of an in-process `npm start` (docs/localstack.md).
 *
 * - `SKIFF_API_URL=<url>`: the API's base URL, e.g. LocalStack's
 *   `http://127.0.0.1:4566/_aws/execute-api/<id>/prod`;
 * - `SKIFF_TARGET=localstack`: the URL `npm run localstack:deploy` wrote to .localstack/outputs.json.
 *
 * The deployed API authenticates as EKS does (docs/auth.md). `SKIFF_API_TOKEN` is sent as the
 * bearer token when set; otherwise, for LocalStack, kubectl gets an exec entry that runs `skiff
 * token --cluster-name <ClusterName>` with LocalStack's dummy keys. The token names STS's regional
 * host, as on AWS; the deployed function verifies it against LocalStack's STS (AWS_ENDPOINT_URL).
 */
export const LOCALSTACK_OUTPUTS = join(PROJECT_ROOT, '.localstack/outputs.json');

export interface RemoteTarget {
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  /** LocalStack's (or AWS's) endpoint, for SDK clients of the deployed table; undefined for a bare URL. */
  awsEndpoint?: string;
  /** The bearer token requests carry, when the target wants one. */
  token?: string;
  /** The cluster name tokens are minted for (`skiff token --cluster-name`), when known. */
  clusterName?: string;
  /** The API over TLS with a certificate no CA vouches for (LocalStack's own), when there is one. */
  selfSignedTlsUrl?: string;
}

interface LocalStackOutputs {
  LocalApiUrl: string;
  LocalApiUrlTls?: string;
  Endpoint: string;
  ClusterName?: string;
}

/** The remote target named by the environment, or undefined: the suites start a local server. */
export function remoteTarget(env: NodeJS.ProcessEnv = process.env): RemoteTarget | undefined {
  const token = env.SKIFF_API_TOKEN || undefined;
  if (env.SKIFF_API_URL) return { apiUrl: env.SKIFF_API_URL.replace(/\/+$/, ''), token };
  if (env.SKIFF_TARGET === undefined || env.SKIFF_TARGET === '' || env.SKIFF_TARGET === 'local')
    return undefined;
  if (env.SKIFF_TARGET !== 'localstack') {
    throw new Error(`SKIFF_TARGET=${env.SKIFF_TARGET}: expected localstack (or SKIFF_API_URL=<url>)`);
  }
  if (!existsSync(LOCALSTACK_OUTPUTS)) {
    throw new Error(
      `SKIFF_TARGET=localstack: ${LOCALSTACK_OUTPUTS} is missing; run npm run localstack:deploy`,
    );
  }
  const outputs = JSON.parse(readFileSync(LOCALSTACK_OUTPUTS, 'utf8')) as LocalStackOutputs;
  return {
    apiUrl: outputs.LocalApiUrl.replace(/\/+$/, ''),
    awsEndpoint: outputs.Endpoint,
    token,
    clusterName: outputs.ClusterName,
    selfSignedTlsUrl: outputs.LocalApiUrlTls?.replace(/\/+$/, ''),
  };
}

/**
 * How long a deployed stack's control loops may take to reach an end state: DynamoDB Streams
 * polling, then one reconcile invocation per hop (Deployment, ReplicaSet, garbage collector).
 * Remote end-to-end assertions poll (test/support/eventually.ts) until this deadline.
 */
export const REMOTE_CONTROL_LOOP_DEADLINE_MS = 90_000;
/** How often remote assertions poll: each poll is an API Gateway request to the deployed function. */
export const REMOTE_POLL_MS = 500;

/** Polls `check` until the deployed control loops reach its end state (REMOTE_CONTROL_LOOP_DEADLINE_MS). */
export function converged<T>(check: () => Promise<T>): Promise<T> {
  return eventually(check, REMOTE_CONTROL_LOOP_DEADLINE_MS, REMOTE_POLL_MS);
}

/** The object at `ref`, or undefined once it is gone (NotFound). */
export function findRemote<T>(client: KubeClient, ref: ResourceRef): Promise<T | undefined> {
  return client.get<T>(ref).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
}

/**
 * What a deployed Skiff cannot show, each named once: the end-to-end suites pick out the cases
 * that need one (`unlessRemoteGap`), so a case that cannot hold remotely is reported as skipped
 * with its reason in its title, and still runs locally. docs/localstack.md lists them.
 */
export const REMOTE_GAPS = {
  /** A deployed stack has no NodePool and LocalStack launches no instances: nothing binds a pod. */
  noNodes: 'no nodes: pods stay Pending, with no node, no IP, never Ready',
  /** docs/localstack.md, Streaming: the streamed integration is made buffered on LocalStack. */
  bufferedWatch: "LocalStack's API Gateway answers a watch (rollout status, wait) only when it ends",
} as const;
export type RemoteGap = keyof typeof REMOTE_GAPS;

/** The gaps of `target`: every gap on LocalStack; a bare URL (AWS) streams watches but has no nodes. */
export function remoteGaps(target: RemoteTarget | undefined): RemoteGap[] {
  if (!target) return [];
  return target.awsEndpoint ? ['noNodes', 'bufferedWatch'] : ['noNodes'];
}

/**
 * `test` (jest's `it`, or a wrapper of it) for a case that needs what `gaps` name: as is
 * locally, and on a remote target that has one of them a skipped case whose title names the gap,
 * e.g. `cordon … [not remotely: no nodes: …]`, so the skip is visible in every report.
 */
export function unlessRemoteGap(test: jest.It, ...gaps: RemoteGap[]): jest.It {
  const missing = gaps.filter((gap) => remoteGaps(remoteTarget()).includes(gap));
  if (missing.length === 0) return test;
  const reason = missing.map((gap) => REMOTE_GAPS[gap]).join('; ');
  return ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    it.skip(`${name} [not remotely: ${reason}]`, fn, timeout)) as jest.It;
}

/**
 * The kubeconfig `cluster` for the target. kubectl (client-go's clientcmd) sends a user's
 * credentials only over TLS, so with credentials and LocalStack's self-signed TLS endpoint at hand,
 * that endpoint, unverified: LocalStack's certificate names localhost.localstack.cloud, not
 * 127.0.0.1, and it is test infrastructure on loopback.
 */
export function kubeconfigCluster(target: RemoteTarget): Record<string, unknown> {
  const hasCredentials = Object.keys(kubeconfigUser(target)).length > 0;
  if (hasCredentials && target.selfSignedTlsUrl) {
    return { server: target.selfSignedTlsUrl, 'insecure-skip-tls-verify': true };
  }
  return { server: target.apiUrl };
}

/**
 * The kubeconfig `user` for the target: its bearer token, else an exec entry minting one with
 * `skiff token` (what `skiff kubeconfig --exec skiff` writes), else none.
 */
export function kubeconfigUser(target: RemoteTarget): Record<string, unknown> {
  if (target.token) return { token: target.token };
  if (!target.clusterName) return {};
  // LocalStack accepts any keys; a real account's come from the caller's environment.
  const localKeys = target.awsEndpoint
    ? [
        { name: 'AWS_ACCESS_KEY_ID', value: process.env.AWS_ACCESS_KEY_ID ?? 'test' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
        { name: 'AWS_REGION', value: process.env.AWS_REGION ?? 'us-east-1' },
      ]
    : [];
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: join(PROJECT_ROOT, 'bin/skiff'),
      args: ['token', '--cluster-name', target.clusterName],
      env: localKeys,
      interactiveMode: 'Never',
    },
  };
}
