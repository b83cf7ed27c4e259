import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SkiffStack } from '../../infra/skiff-stack';

/** One function as `cdk synth` ships it: its bundle in cdk.out and the export its Handler names. */
export interface ShippedFunction {
  /** `<cdk.out>/asset.<hash>/index.js`, the file Lambda loads. */
  bundle: string;
  /** The export Lambda invokes (`index.<export>` in the template). */
  exportName: string;
}

/** The synthesized cloud assembly of one Skiff stack, with its bundles; `remove` deletes it. */
export interface ShippedStack {
  outdir: string;
  /** The function at this construct path under the stack, e.g. `Api/Function`; throws if none. */
  function(constructPath: string): ShippedFunction;
  remove(): void;
}

interface TemplateFunction {
  Properties: { Code?: { S3Key?: unknown }; Handler?: string };
}

/**
 * Synthesizes the stack as `cdk synth` does, bundling every function with esbuild into a temporary
 * cdk.out (about 10 s), and finds each function's bundle through the template: its Code.S3Key is
 * the asset's hash, which names the asset's folder. So the smoke tests load exactly what `cdk
 * deploy` would upload, not a build of their own. `extend` adds to the stack first (an Operator).
 */
export function synthesizeShippedStack(
  stackName = 'Skiff',
  extend: (stack: SkiffStack) => void = () => undefined,
): ShippedStack {
  const outdir = mkdtempSync(path.join(tmpdir(), 'skiff-cdk-out-'));
  const app = new App({ outdir });
  const stack = new SkiffStack(app, stackName);
  extend(stack);
  app.synth();
  const template = JSON.parse(readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateFunction>;
  };
  const functions = new Map<string, ShippedFunction>();
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof CfnFunction)) continue;
    const resource = template.Resources[stack.getLogicalId(construct)];
    const key = resource?.Properties.Code?.S3Key;
    const [file, exportName] = (resource?.Properties.Handler ?? '').split('.');
    if (typeof key !== 'string' || !exportName) continue; // inline or provider-made code
    const hash = key.replace(/\.zip$/, '');
    // `Skiff/Api/Function/Resource` -> `Api/Function`
    const constructPath = construct.node.path.split('/').slice(1, -1).join('/');
    functions.set(constructPath, { bundle: path.join(outdir, `asset.${hash}`, `${file}.js`), exportName });
  }
  return {
    outdir,
    function(constructPath) {
      const found = functions.get(constructPath);
      if (!found) {
        throw new Error(`no bundled function at ${constructPath}; have: ${[...functions.keys()].join(', ')}`);
      }
      return found;
    },
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/**
 * Loads one bundle in a fresh Node.js (one Lambda container) and invokes one export with each
 * event in turn, with Lambda's invocation context as far as Skiff's handlers read it. A streaming
 * export gets the `awslambda` globals Lambda's Node.js runtime provides. The answers go to a file:
 * stdout carries the handlers' own logs (the invocation metrics).
 */
const RUNNER = `
const fs = require('node:fs');
const { Writable } = require('node:stream');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
if (input.streaming) {
  // Lambda's Node.js runtime as a streaming function sees it: streamifyResponse marks the handler,
  // HttpResponseStream.from writes the metadata prelude (JSON, then 8 NUL bytes) API Gateway reads.
  globalThis.awslambda = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from(stream, metadata) {
        stream.write(JSON.stringify(metadata) + '\\0'.repeat(8));
        return stream;
      },
    },
  };
}
// Counts the HTTP requests each invocation makes, by the operation its X-Amz-Target names.
const http = require('node:http');
let calls = {};
const sendRequest = http.request;
http.request = function (...args) {
  const options = args.find((arg) => arg && typeof arg === 'object' && !(arg instanceof URL)) || {};
  const headers = options.headers || {};
  const target = headers['x-amz-target'] || headers['X-Amz-Target'] || 'other';
  const operation = String(target).split('.').pop();
  calls[operation] = (calls[operation] || 0) + 1;
  return sendRequest.apply(this, args);
};
const handler = require(input.bundle)[input.exportName];
const context = { awsRequestId: 'smoke', functionName: 'smoke', getRemainingTimeInMillis: () => 30000 };
async function invokeStreaming(event) {
  const chunks = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(chunk); done(); } });
  const finished = new Promise((resolve) => stream.on('finish', resolve));
  await handler(event, stream, context);
  await finished;
  const [prelude, ...body] = Buffer.concat(chunks).toString('utf8').split('\\0'.repeat(8));
  return { ...JSON.parse(prelude), body: body.join('\\0'.repeat(8)) };
}
(async () => {
  const answers = [];
  const timings = [];
  for (const event of input.events) {
    calls = {};
    const cpuAtStart = process.cpuUsage();
    const startedAt = performance.now();
    answers.push(input.streaming ? await invokeStreaming(event) : await handler(event, context));
    const cpu = process.cpuUsage(cpuAtStart);
    timings.push({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - startedAt, calls });
  }
  fs.writeFileSync(input.answers, JSON.stringify({ answers, timings }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

let invocations = 0;

/** What one invocation of a bundle cost its process: CPU, wall time, and its AWS calls by operation. */
export interface InvocationTiming {
  /** User and system CPU of the whole process during the invocation. */
  cpuMs: number;
  wallMs: number;
  /** HTTP requests it made, by X-Amz-Target operation (`GetItem`, `TransactWriteItems`, ...; `other`). */
  calls: Record<string, number>;
}

/**
 * Invokes `fn` with each event in turn in one fresh Node.js process and returns its answers. The
 * process sees only PATH, test credentials for us-east-1 and `env` (what the stack and Lambda set).
 */
export function invokeShipped<Answer>(
  fn: ShippedFunction,
  events: unknown[],
  env: Record<string, string>,
  workDir: string,
): Answer[] {
  return invokeShippedTimed<Answer>(fn, events, env, workDir).answers;
}

/** invokeShipped, with what each invocation cost (InvocationTiming). */
export function invokeShippedTimed<Answer>(
  fn: ShippedFunction,
  events: unknown[],
  env: Record<string, string>,
  workDir: string,
): { answers: Answer[]; timings: InvocationTiming[] } {
  const answersFile = path.join(workDir, `answers-${process.pid}-${++invocations}.json`);
  const run = spawnSync(process.execPath, ['--enable-source-maps', '-e', RUNNER], {
    cwd: workDir,
    input: JSON.stringify({
      bundle: fn.bundle,
      exportName: fn.exportName,
      streaming: fn.exportName === 'streamingHandler',
      events,
      answers: answersFile,
    }),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`the bundle failed (status ${run.status}): ${run.stderr}`);
  return JSON.parse(readFileSync(answersFile, 'utf8')) as { answers: Answer[]; timings: InvocationTiming[] };
}
