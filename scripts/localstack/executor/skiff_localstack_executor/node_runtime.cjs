'use strict';
/* global require, process, Buffer, console, TextDecoder */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by plain node, outside the TypeScript build */
/**
 * TEST INFRASTRUCTURE, not AWS's Lambda runtime: runs one deployed function's bundle for
 * LocalStack's `skiff-node` runtime executor (executor.py, docs/localstack.md).
 *
 * Loads `$LAMBDA_TASK_ROOT/<module>` and its `<export>` from `_HANDLER` once, as a Lambda container
 * does, then serves `POST /invoke` on 127.0.0.1 (an ephemeral port, written to
 * $SKIFF_RUNTIME_PORT_FILE): `{ requestId, functionArn, traceId, payload, deadlineMs }` in,
 * `{ error, payload }` out, where `payload` is what Lambda's Invoke returns (the handler's result as
 * JSON, or Lambda's `{ errorType, errorMessage, trace }`). One invocation at a time, as LocalStack sends.
 *
 * Response streaming: the handler may be marked with `awslambda.streamifyResponse` (Skiff's API
 * exports `streamingHandler` for API Gateway's streamed integration). LocalStack's API Gateway does
 * not stream integration responses: it calls Invoke and expects a REST proxy result. So a streamed
 * answer is collected, and when it opens with `awslambda.HttpResponseStream.from`'s prelude (the
 * metadata as JSON, then 8 NUL bytes) it becomes that proxy result (`statusCode`, `headers`,
 * `body`, base64 when the bytes are not UTF-8). A watch therefore answers only when it ends.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Writable } = require('node:stream');

const STREAMING = Symbol.for('skiff.localstack.streaming');
const PRELUDE_DELIMITER = Buffer.alloc(8);

// What Lambda's Node.js runtime offers a streaming function, installed before the bundle loads:
// the bundle decides at module scope whether it runs under a runtime that streams.
globalThis.awslambda = {
  ...globalThis.awslambda,
  streamifyResponse(handler) {
    handler[STREAMING] = true;
    return handler;
  },
  HttpResponseStream: {
    from(stream, metadata) {
      stream.write(Buffer.concat([Buffer.from(JSON.stringify(metadata)), PRELUDE_DELIMITER]));
      return stream;
    },
  },
};

function loadHandler() {
  const spec = process.env._HANDLER ?? 'index.handler';
  const dot = spec.lastIndexOf('.');
  const modulePath = path.resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), spec.slice(0, dot));
  const handler = require(modulePath)[spec.slice(dot + 1)];
  if (typeof handler !== 'function') throw new Error(`${spec}: the export is not a function`);
  return handler;
}

function errorPayload(error) {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: err.name ?? 'Error',
    errorMessage: err.message,
    trace: String(err.stack ?? '').split('\n'),
  };
}

function lambdaContext(request) {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  return {
    awsRequestId: request.requestId,
    invokedFunctionArn: request.functionArn,
    functionName: name,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: request.requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadlineMs - Date.now()),
  };
}

/** Runs a streamified handler into memory; an HTTP prelude makes the result a REST proxy answer. */
async function invokeStreaming(handler, event, context) {
  const chunks = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const finished = new Promise((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  await handler(event, stream, context);
  if (!stream.writableEnded) stream.end();
  await finished;
  const bytes = Buffer.concat(chunks);
  const at = bytes.indexOf(PRELUDE_DELIMITER);
  if (at < 0) return bytes.toString('utf8');
  const metadata = JSON.parse(bytes.subarray(0, at).toString('utf8'));
  const body = bytes.subarray(at + PRELUDE_DELIMITER.length);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  const isText = Buffer.from(text, 'utf8').equals(body);
  return JSON.stringify({
    statusCode: metadata.statusCode ?? 200,
    headers: metadata.headers ?? {},
    ...(metadata.cookies ? { multiValueHeaders: { 'Set-Cookie': metadata.cookies } } : {}),
    body: isText ? text : body.toString('base64'),
    isBase64Encoded: !isText,
  });
}

async function invoke(handler, request) {
  process.env._X_AMZN_TRACE_ID = request.traceId ?? '';
  const event = request.payload === '' ? {} : JSON.parse(request.payload);
  const context = lambdaContext(request);
  if (handler[STREAMING]) return invokeStreaming(handler, event, context);
  const result = await handler(event, context);
  return JSON.stringify(result === undefined ? null : result);
}

function serve(handler) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/invoke') {
      res.writeHead(404).end();
      return;
    }
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(parts).toString('utf8'));
      invoke(handler, request)
        .then((payload) => ({ error: false, payload }))
        .catch((error) => {
          console.error(`invocation ${request.requestId} failed:`, error);
          return { error: true, payload: JSON.stringify(errorPayload(error)) };
        })
        .then((answer) => {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
        });
    });
  });
  server.listen(0, '127.0.0.1', () => {
    fs.writeFileSync(process.env.SKIFF_RUNTIME_PORT_FILE, String(server.address().port));
  });
}

process.on('SIGTERM', () => process.exit(0));
serve(loadHandler());
