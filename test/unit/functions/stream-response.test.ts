import middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { ApiResponse, BodyChunk } from '../../../lib/api/http';
import { StreamingIntegrationRequiredError, toProxyResult } from '../../../functions/api/proxy-event';
import { statusOnError } from '../../../functions/api/status-on-error';
import { writeResponseStream } from '../../../functions/api/stream-response';
import { createStreamingHandler, type SignalledEvent } from '../../../functions/api/streaming-api-handler';
import { eventually } from '../../support/eventually';
import { DELIMITER, FakeResponseStream } from '../../support/fake-response-stream';

function aStreamedResponse(
  stream: AsyncIterable<BodyChunk>,
  headers: Record<string, string> = {},
): ApiResponse {
  return { statusCode: 200, headers: { 'content-type': 'application/json', ...headers }, body: '', stream };
}

function aGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('writing an ApiResponse to a Lambda response stream', () => {
  it('sends a buffered answer as the metadata prelude, then its body, and ends', async () => {
    const out = new FakeResponseStream();
    const response: ApiResponse = {
      statusCode: 201,
      headers: { 'content-type': 'application/json', warning: '299 - "spec.☃" is unknown' },
      body: '{"kind":"ConfigMap"}',
    };

    const end = await writeResponseStream(response, out.open, new AbortController());

    expect(end).toEqual({ outcome: 'finished' });
    expect(out.sent).toBe(
      '{"statusCode":201,"headers":{"content-type":"application/json","warning":"299 - \\"spec.\\\\u2603\\" is unknown"}}' +
        DELIMITER +
        '{"kind":"ConfigMap"}',
    );
    expect(out.ended).toBe(true);
  });

  it('sends the prelude of an answer with an empty body too', async () => {
    const out = new FakeResponseStream();
    await writeResponseStream({ statusCode: 204, headers: {}, body: '' }, out.open, new AbortController());
    expect(out.metadata).toEqual({ statusCode: 204, headers: {} });
    expect(out.body).toBe('');
    expect(out.ended).toBe(true);
  });

  it('sends the prelude before the first chunk is produced, then the chunks in order, and ends', async () => {
    const out = new FakeResponseStream();
    const first = aGate();
    const writing = writeResponseStream(
      aStreamedResponse(
        (async function* () {
          await first.opened;
          yield '{"type":"ADDED"}\n';
          yield new TextEncoder().encode('{"type":"MODIFIED","name":"dév"}\n');
        })(),
        { 'content-length': '0' },
      ),
      out.open,
      new AbortController(),
    );

    await eventually(async () => expect(out.body).toBe(''));
    expect(out.metadata).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(out.ended).toBe(false);
    first.open();

    expect(await writing).toEqual({ outcome: 'finished' });
    expect(out.body).toBe('{"type":"ADDED"}\n{"type":"MODIFIED","name":"dév"}\n');
    expect(out.ended).toBe(true);
  });

  it('ends the stream where it stands when the producer throws, and returns the failure', async () => {
    const out = new FakeResponseStream();
    const broken = new Error('the change feed broke');
    const end = await writeResponseStream(
      aStreamedResponse(
        (async function* () {
          yield 'one\n';
          throw broken;
        })(),
      ),
      out.open,
      new AbortController(),
    );
    expect(end).toEqual({ outcome: 'failed', error: broken });
    expect(out.body).toBe('one\n');
    expect(out.ended).toBe(true);
  });

  it('asks for no more chunks while the stream is full, and goes on after it drains', async () => {
    const out = new FakeResponseStream(10);
    let produced = 0;
    const writing = writeResponseStream(
      aStreamedResponse(
        (async function* () {
          for (; produced < 5;) {
            produced += 1;
            yield '0123456789ab';
          }
        })(),
      ),
      out.open,
      new AbortController(),
    );
    await eventually(async () => expect(out.body).toBe('0123456789ab'));
    await Promise.resolve();
    expect(produced).toBe(1);
    for (let drained = 1; drained < 5; drained += 1) {
      out.drain();
      await eventually(async () => expect(produced).toBe(drained + 1));
    }
    out.drain();
    expect(await writing).toEqual({ outcome: 'finished' });
    expect(out.body).toBe('0123456789ab'.repeat(5));
  });

  it('stops the producer and ends when the runtime stream closes', async () => {
    const out = new FakeResponseStream(0);
    const cancel = new AbortController();
    let stopped = false;
    const writing = writeResponseStream(
      aStreamedResponse(
        (async function* () {
          try {
            for (let event = 0; event < 1000; event += 1) yield 'event\n';
          } finally {
            stopped = true;
          }
        })(),
      ),
      out.open,
      cancel,
    );
    await eventually(async () => expect(out.body).toBe('event\n'));
    out.emit('close');

    expect(await writing).toEqual({ outcome: 'cancelled' });
    expect(cancel.signal.aborted).toBe(true);
    await eventually(async () => expect(stopped).toBe(true));
    expect(out.ended).toBe(true);
    expect(out.listenerCount('close') + out.listenerCount('error') + out.listenerCount('drain')).toBe(0);
  });
});

describe('the streaming API handler', () => {
  const anEvent = { httpMethod: 'GET', path: '/api/v1/pods' } as APIGatewayProxyEvent;
  const aContext = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as Context;
  const aHandler = (api: (event: SignalledEvent) => Promise<ApiResponse>, out: FakeResponseStream) =>
    createStreamingHandler(
      middy(api).use(statusOnError<SignalledEvent, ApiResponse>((response) => response)),
      { open: () => out.open, deadlineMarginMs: 1000 },
    );

  it('answers an error before the response as a 500 Status, logged with the request line', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const out = new FakeResponseStream();
      await aHandler(() => Promise.reject(new Error('mapping bug')), out)(
        anEvent,
        {} as never,
        aContext(60_000),
      );
      expect(out.metadata).toEqual({ statusCode: 500, headers: { 'content-type': 'application/json' } });
      expect(JSON.parse(out.body)).toMatchObject({ kind: 'Status', code: 500 });
      expect(out.ended).toBe(true);
      expect(logged).toHaveBeenCalledWith('GET /api/v1/pods failed', expect.any(Error));
    } finally {
      logged.mockRestore();
    }
  });

  it('ends an open stream cleanly before the invocation times out, telling the producer', async () => {
    const out = new FakeResponseStream();
    let signal: AbortSignal | undefined;
    let finished = false;
    await aHandler(async (event) => {
      signal = event.signal;
      return aStreamedResponse(
        (async function* () {
          try {
            yield 'one\n';
            await new Promise((resolve) => event.signal.addEventListener('abort', resolve));
          } finally {
            finished = true;
          }
        })(),
      );
    }, out)(anEvent, {} as never, aContext(1050));
    expect(signal?.aborted).toBe(true);
    expect(out.body).toBe('one\n');
    expect(out.ended).toBe(true);
    await eventually(async () => expect(finished).toBe(true));
  });

  it('answers HEAD with the head alone, stopping the producer unread', async () => {
    const out = new FakeResponseStream();
    let started = false;
    let returned = false;
    const iterator: AsyncIterator<BodyChunk> = {
      next: async () => ((started = true), { done: false, value: 'never\n' }),
      return: async () => ((returned = true), { done: true, value: undefined }),
    };
    await aHandler(async () => aStreamedResponse({ [Symbol.asyncIterator]: () => iterator }), out)(
      { ...anEvent, httpMethod: 'HEAD' },
      {} as never,
      aContext(60_000),
    );
    expect(out.metadata?.statusCode).toBe(200);
    expect(out.body).toBe('');
    expect(out.ended).toBe(true);
    await eventually(async () => expect(returned).toBe(true));
    expect(started).toBe(false);
  });

  it('logs a producer that fails mid-stream with the request line', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const out = new FakeResponseStream();
      await aHandler(
        async () =>
          aStreamedResponse(
            (async function* () {
              yield 'one\n';
              throw new Error('the change feed broke');
            })(),
          ),
        out,
      )(anEvent, {} as never, aContext(60_000));
      expect(out.body).toBe('one\n');
      expect(logged).toHaveBeenCalledWith(
        'GET /api/v1/pods: streamed response failed',
        expect.objectContaining({ message: 'the change feed broke' }),
      );
    } finally {
      logged.mockRestore();
    }
  });
});

describe('the buffered integration', () => {
  it('refuses a streamed response, which it cannot carry, and stops its producer', async () => {
    let returned = false;
    const iterator: AsyncIterator<BodyChunk> = {
      next: async () => ({ done: false, value: 'never\n' }),
      return: async () => ((returned = true), { done: true, value: undefined }),
    };
    expect(() => toProxyResult(aStreamedResponse({ [Symbol.asyncIterator]: () => iterator }))).toThrow(
      StreamingIntegrationRequiredError,
    );
    await eventually(async () => expect(returned).toBe(true));
  });
});
