import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { request as requestTls } from 'node:https';
import type { AddressInfo } from 'node:net';
import { EksTokenSigner } from '../../lib/auth/eks-token-signer';
import type { RemoteTarget } from './remote-target';

/** Tokens are good for 15 minutes at STS; a fresh one well before that. */
const TOKEN_REFRESH_MS = 5 * 60 * 1000;

/**
 * A loopback front for a deployed API that authenticates (remote-target.ts): suites written for the
 * local server send plain unauthenticated HTTP to `url`, and this adds the target's bearer token
 * (SKIFF_API_TOKEN, or one `skiff token` would make for the target's cluster with LocalStack's
 * dummy keys) and forwards each request, streaming both bodies. Listens on 127.0.0.1 only.
 */
export interface RemoteProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRemoteProxy(target: RemoteTarget): Promise<RemoteProxy> {
  const upstream = new URL(target.apiUrl);
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const token = remoteBearerTokens(target);
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    void token()
      .then((bearer) => {
        const headers = { ...incoming.headers, host: upstream.host };
        if (bearer) headers.authorization = `Bearer ${bearer}`;
        const send = upstream.protocol === 'https:' ? requestTls : request;
        const forwarded = send(
          {
            protocol: upstream.protocol,
            hostname: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: `${basePath}${incoming.url ?? '/'}`,
            headers,
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on('error', (error) => outgoing.destroy(error));
        incoming.pipe(forwarded);
      })
      .catch((error: unknown) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`remote proxy: ${String(error)}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The target's bearer token, or a fresh EKS-style one every few minutes; none when it wants none.
 * Also a KubeClient's token source, for suites that talk to the deployed API directly.
 */
export function remoteBearerTokens(target: RemoteTarget): () => Promise<string | undefined> {
  if (target.token) return () => Promise.resolve(target.token);
  if (!target.clusterName) return () => Promise.resolve(undefined);
  const credentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  const signer = new EksTokenSigner({
    clusterName: target.clusterName,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: () => Promise.resolve(credentials),
  });
  let current: { token: string; at: number } | undefined;
  return async () => {
    if (!current || Date.now() - current.at > TOKEN_REFRESH_MS) {
      current = { token: (await signer.sign()).token, at: Date.now() };
    }
    return current.token;
  };
}

/**
 * The proxy in a process of its own (`node --import tsx test/support/remote-proxy.ts`): suites that
 * block their event loop on a child (execFileSync kubectl) would otherwise starve an in-process
 * proxy. Prints `listening on <url>` and serves until killed.
 */
if (require.main === module) {
  const target = JSON.parse(process.env.SKIFF_REMOTE_PROXY_TARGET ?? '{}') as RemoteTarget;
  void startRemoteProxy(target).then((proxy) => process.stdout.write(`listening on ${proxy.url}\n`));
}
