import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncRequest } from '../../../lib/operators/operator-spec';
import { callHook, HookError } from '../../../lib/operators/sync-hook';

const request: SyncRequest = {
  controller: {
    name: 'op',
    parentResource: { apiVersion: 'x.dev/v1', resource: 'things' },
    childResources: [],
  },
  parent: { apiVersion: 'x.dev/v1', kind: 'Thing', metadata: { name: 't' } },
  children: {},
  finalizing: false,
};

let server: Server;
let url = '';
let answer: (body: string) => { status: number; body: string; delayMs?: number };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const reply = answer(body);
      setTimeout(
        () => res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body),
        reply.delayMs ?? 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('callHook', () => {
  test('a function hook gets the request and its answer is checked', async () => {
    const seen: SyncRequest[] = [];
    const response = await callHook((r) => (seen.push(r), { status: { ok: true }, children: [] }), request);
    expect(response).toEqual({ status: { ok: true }, children: [] });
    expect(seen).toEqual([request]);
  });

  test('a throwing function is HookFailed with its message', async () => {
    await expect(
      callHook(() => {
        throw new Error('boom');
      }, request),
    ).rejects.toMatchObject({ reason: 'HookFailed', message: 'the hook threw: boom' });
  });

  test('an answer of the wrong shape is HookInvalidResponse naming the field', async () => {
    const error = await callHook(() => ({ children: [{ kind: 'ConfigMap' }] }) as never, request).catch(
      (e: HookError) => e,
    );
    expect(error).toBeInstanceOf(HookError);
    expect(error).toMatchObject({ reason: 'HookInvalidResponse' });
    expect((error as Error).message).toMatch(/children\[0\]\.apiVersion/);
  });

  test('a webhook is POSTed the request as JSON and its JSON answer is used', async () => {
    let received: unknown;
    answer = (body) => (
      (received = JSON.parse(body)),
      { status: 200, body: JSON.stringify({ resyncAfterSeconds: 5 }) }
    );
    await expect(callHook({ webhook: { url } }, request)).resolves.toEqual({ resyncAfterSeconds: 5 });
    expect(received).toEqual(request);
  });

  test('a webhook answering an error status, or not in time, fails with the reason', async () => {
    answer = () => ({ status: 500, body: 'broken' });
    await expect(callHook({ webhook: { url } }, request)).rejects.toMatchObject({
      reason: 'HookFailed',
      message: expect.stringContaining('answered 500: broken'),
    });
    answer = () => ({ status: 200, body: '{}', delayMs: 500 });
    await expect(callHook({ webhook: { url, timeoutSeconds: 0.1 } }, request)).rejects.toMatchObject({
      reason: 'HookTimedOut',
    });
  });
});
