import fc from 'fast-check';
import {
  apiRequest,
  BOMB_CONFIG_MAP,
  BOMB_NAMESPACE,
  FIXTURE_NAMES,
  RESOURCES,
} from '../support/http-fuzz/api-request-arbitrary';
import {
  brokenFraming,
  brokenHeaders,
  brokenRequestLine,
  largeBody,
} from '../support/http-fuzz/broken-request-arbitrary';
import { excerpt, type RawRequestCase } from '../support/http-fuzz/raw-request';
import { headerOf, RawConnection, type Exchange, type RawResponse } from '../support/raw-http';
import { listeningAddresses, spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';

/**
 * The HTTP layer's fuzz test: raw requests over sockets to `npm start` running as its own process.
 * SKIFF_FUZZ_CASES (default 10,000) and SKIFF_FUZZ_SEED (default below) replay a run.
 */
const CASES = Number(process.env.SKIFF_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 20_261_130);
/** Keep-alive connections sending at once. */
const CONNECTIONS = 6;
/** On a connection of its own, how long to wait for more responses after the expected ones (extra bytes may be read as another request). */
const SETTLE_MS = 30;
/** How long one request may take to be answered: a stall is a failure. */
const DEADLINE_MS = 15_000;

/** The mix: mostly well-framed API requests, then broken request lines, headers and framing, a few huge bodies. */
function rawRequestCase(port: number): fc.Arbitrary<RawRequestCase> {
  return fc.oneof(
    { weight: 320, arbitrary: apiRequest(port) },
    { weight: 24, arbitrary: brokenRequestLine(port) },
    { weight: 28, arbitrary: brokenHeaders(port) },
    { weight: 24, arbitrary: brokenFraming(port) },
    { weight: 1, arbitrary: largeBody(port) },
  );
}

interface Problem {
  group: string;
  message: string;
  request: string;
}

/** What is wrong with the server's answer to `request`; nothing when it is acceptable. */
function problemsOf(request: RawRequestCase, exchange: Exchange, sentAll: boolean): string[] {
  const closedEarly =
    request.refusedBody && !sentAll && exchange.outcome !== 'timeout'
      ? [
          `the server closed before reading the body it refused, so a client still sending it gets a reset: ${summary(exchange)}`,
        ]
      : [];
  switch (exchange.outcome) {
    case 'timeout':
      return [`no complete response within ${DEADLINE_MS} ms; received ${excerpt(exchange.received)}`];
    case 'malformed':
      return [`the answer is not HTTP/1.1: ${exchange.error}; received ${excerpt(exchange.received)}`];
    case 'closed':
      if (closedEarly.length > 0) return closedEarly;
      // HTTP lets a server give up on a request the client never finished sending, and close
      // (cleanly) on bytes that are not an HTTP/1.1 request at all.
      if (request.incomplete || (request.unparseable && exchange.how === 'end')) return [];
      return [
        `connection ${exchange.how === 'reset' ? 'reset' : 'closed'} without a response; received ${excerpt(exchange.received)}`,
      ];
    case 'answered': {
      const problems = [...closedEarly, ...exchange.responses.flatMap(responseProblems)];
      if (request.expectedResponses !== undefined && exchange.responses.length !== request.expectedResponses)
        problems.push(
          `${exchange.responses.length} responses to ${request.expectedResponses} pipelined requests`,
        );
      return problems;
    }
  }
}

function summary(exchange: Exchange): string {
  if (exchange.outcome === 'answered')
    return `answered ${exchange.responses.map((r) => r.statusCode).join('+')}`;
  return exchange.outcome === 'closed' ? `${exchange.how} without a response` : exchange.outcome;
}

function responseProblems(response: RawResponse): string[] {
  const code = response.statusCode;
  const shown = `${code} ${excerpt(response.body, 300)}`;
  if (code >= 500) return [`answered ${shown}`];
  if (!/json/i.test(headerOf(response, 'content-type') ?? '') || response.body.length === 0) return [];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return [`a JSON response that does not parse: ${shown}`];
  }
  if (code < 400) return [];
  const isStatus =
    body.kind === 'Status' &&
    body.apiVersion === 'v1' &&
    body.status === 'Failure' &&
    body.code === code &&
    typeof body.reason === 'string' &&
    body.reason !== '';
  return isStatus ? [] : [`a ${code} whose body is not a Kubernetes Status: ${shown}`];
}

/**
 * Sends every case, CONNECTIONS at a time. Well-framed requests share keep-alive connections (a
 * connection the server closes is replaced); the others get a connection each. Returns the problems
 * and a count of answers by family and status.
 */
async function sendAll(port: number, cases: RawRequestCase[]) {
  const problems: Problem[] = [];
  const counts = new Map<string, number>();
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  let next = 0;
  const send = (connection: RawConnection, request: RawRequestCase) =>
    connection.send(request.bytes, {
      head: request.head,
      filler: request.filler,
      suffix: request.suffix,
      // A request on its own connection: every response to its bytes is read. An incomplete one,
      // and a refused body that must be read to its end, are followed by the end of the connection.
      until: !request.ownConnection
        ? 'first'
        : request.incomplete || request.refusedBody
          ? 'close'
          : { responses: request.expectedResponses ?? 1, settleMs: SETTLE_MS },
      deadlineMs: DEADLINE_MS,
    });

  const worker = async () => {
    let shared: RawConnection | undefined;
    for (let index = next++; index < cases.length; index = next++) {
      const request = cases[index];
      let exchange: Exchange;
      let sentAll = true;
      try {
        if (request.ownConnection) {
          const own = await RawConnection.open(port);
          exchange = await send(own, request);
          sentAll = own.sentAll;
          own.close();
        } else {
          if (!shared?.usable) {
            shared?.close();
            shared = await RawConnection.open(port);
          }
          const reused = shared.exchanges > 0;
          exchange = await send(shared, request);
          if (exchange.outcome === 'closed' && reused && exchange.received.length === 0) {
            // An idle keep-alive connection may be closed just as a request goes out: clients retry on a new one.
            count('retried on a new connection');
            shared.close();
            shared = await RawConnection.open(port);
            exchange = await send(shared, request);
          }
          if (!shared.usable) {
            shared.close();
            shared = undefined;
          }
        }
      } catch (error) {
        exchange = { outcome: 'closed', how: 'reset', received: Buffer.from(String(error)) };
      }
      const statuses =
        exchange.outcome === 'answered'
          ? exchange.responses.map((response) => String(response.statusCode)).join('+')
          : exchange.outcome;
      count(`${request.family} ${statuses}`);
      for (const message of problemsOf(request, exchange, sentAll))
        problems.push({
          group: `${request.family}: ${request.label}: ${message.replace(/[;:].*/s, '')}`,
          message: `case ${index}: ${message}`,
          request: excerpt(request.bytes),
        });
    }
    shared?.close();
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { problems, counts };
}

const MAX_GROUPS = 40;

/** One line per group of problems, with its first request and answer. */
function report(problems: Problem[], server: LocalServerProcess): string {
  const groups = new Map<string, Problem[]>();
  for (const problem of problems) {
    if (!groups.has(problem.group)) groups.set(problem.group, []);
    groups.get(problem.group)?.push(problem);
  }
  const lines = [...groups].map(
    ([group, members]) =>
      `- ${group} (x${members.length})\n    ${members[0].message}\n    request: ${members[0].request}`,
  );
  return [
    `the server ${server.exited() ?? 'is still running'}`,
    `${problems.length} of ${CASES} requests were answered wrongly (seed ${SEED}; replay with SKIFF_FUZZ_SEED=${SEED} SKIFF_FUZZ_CASES=${CASES}):`,
    ...lines.slice(0, MAX_GROUPS),
    ...(lines.length > MAX_GROUPS ? [`... and ${lines.length - MAX_GROUPS} more groups`] : []),
    `--- the server's last output ---\n${server.output().slice(-3000)}`,
  ].join('\n');
}

/** Objects most requests name, and the ConfigMap the copy bombs aim at. */
async function createFixtures(url: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`fixture ${path}: ${response.status} ${await response.text()}`);
  };
  const namespaces = RESOURCES.find((resource) => resource.plural === 'namespaces');
  for (const name of [...FIXTURE_NAMES, BOMB_NAMESPACE])
    await post('/api/v1/namespaces', namespaces?.manifest(name, ''));
  for (const resource of RESOURCES.filter((r) => r.plural !== 'namespaces'))
    for (const name of FIXTURE_NAMES) {
      const scope = resource.namespaced ? '/namespaces/default' : '';
      await post(`${resource.prefix}${scope}/${resource.plural}`, resource.manifest(name, 'default'));
    }
  await post(`/api/v1/namespaces/${BOMB_NAMESPACE}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: BOMB_CONFIG_MAP, namespace: BOMB_NAMESPACE },
    data: { a: 'b' },
  });
}

describe(`the local HTTP server under ${CASES} fuzzed raw requests (seed ${SEED})`, () => {
  let server: LocalServerProcess;
  beforeAll(async () => {
    server = await spawnLocalServer();
    await createFixtures(server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on 127.0.0.1 only', () => {
    const addresses = listeningAddresses(server.pid);
    expect(addresses).toContain(`127.0.0.1:${server.port}`);
    expect(addresses.filter((address) => !address.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('answers every request with a response below 500, a Status for each JSON 4xx, and keeps running', async () => {
    const cases = fc.sample(rawRequestCase(server.port), { numRuns: CASES, seed: SEED });
    const { problems, counts } = await sendAll(server.port, cases);
    if (process.env.SKIFF_FUZZ_STATS)
      console.log(
        [...counts]
          .sort()
          .map(([key, n]) => `${key}: ${n}`)
          .join('\n'),
      );

    if (problems.length > 0) throw new Error(report(problems, server));
    expect(server.exited()).toBeUndefined();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 240_000);
});
