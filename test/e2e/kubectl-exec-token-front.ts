import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bearerToken, unauthorizedStatus } from '../../lib/auth/bearer-token';
import type { AwsIdentity, EksTokenVerifier } from '../../lib/auth/eks-token';

/**
 * A test-only stand-in for the deployed API's authorizer in front of a local Skiff API: it
 * verifies each request's bearer token with EksTokenVerifier and answers kube's 401 Status
 * unless it verifies, else forwards the request (without the token) to the API. HTTPS for
 * kubectl, which sends no credential to a plain-http server; plain HTTP for node's fetch, which
 * would refuse the test certificate.
 */

export interface AuthFront {
  /** The HTTPS side, for kubectl. */
  url: string;
  /** The plain-HTTP side, for KubeClient (node's fetch would refuse the test certificate). */
  httpUrl: string;
  /** The identities the front let through, in order. */
  identities: AwsIdentity[];
  /** The tokens it was shown, valid or not. */
  tokens: string[];
  /** `METHOD path?query` of every request it let through, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** A certificate for 127.0.0.1, self-signed (its own CA), made with openssl in `dir`. */
export function loopbackCertificate(dir: string): { key: string; cert: string; caFile: string } {
  const keyFile = join(dir, 'front.key');
  const caFile = join(dir, 'front.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=skiff-test-front',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(caFile, 'utf8'), caFile };
}

/** An HTTP(S) front on 127.0.0.1: 401 unless the bearer token verifies, else the request forwarded to `upstream`. */
export async function startAuthFront(
  upstream: string,
  verifier: EksTokenVerifier,
  tls: { key: string; cert: string },
): Promise<AuthFront> {
  const identities: AwsIdentity[] = [];
  const tokens: string[] = [];
  const requests: string[] = [];
  const target = new URL(upstream);
  const unauthorized = (response: ServerResponse) => {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(unauthorizedStatus()));
  };
  const handle: RequestListener = (incoming: IncomingMessage, response) => {
    const token = bearerToken(incoming.headers as Record<string, string | undefined>);
    if (token === undefined) return unauthorized(response);
    tokens.push(token);
    verifier.verify(token).then(
      (identity) => {
        identities.push(identity);
        requests.push(`${incoming.method} ${incoming.url}`);
        const headers = { ...incoming.headers, host: target.host };
        delete headers.authorization;
        const forwarded = httpRequest(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
        );
        forwarded.on('error', (error) => response.destroy(error));
        incoming.pipe(forwarded);
      },
      () => unauthorized(response),
    );
  };
  const servers: Server[] = [createHttpsServer(tls, handle), createServer(handle)];
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve) =>
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
        ),
    ),
  );
  return {
    url: `https://127.0.0.1:${ports[0]}`,
    httpUrl: `http://127.0.0.1:${ports[1]}`,
    identities,
    tokens,
    requests,
    stop: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
