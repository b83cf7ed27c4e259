import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { APIGatewayProxyResult, DynamoDBBatchResponse } from 'aws-lambda';
import { App } from 'aws-cdk-lib';
import { ensureSystemNamespaces } from '../lib/api/system-namespaces';
import { deploymentController } from '../lib/controllers/deployment/deployment-controller';
import { storeReconcileContext } from '../lib/controllers/events/store-event-recorders';
import { objectOfRecord } from '../lib/controllers/record-keys';
import type { StreamRecord } from '../lib/controllers/stream-record';
import { derivedDurationMs } from '../lib/cost/durations';
import { inventoryOf, type CfnTemplate } from '../lib/cost/stack-inventory';
import { WORKLOAD } from '../lib/cost/workload';
import { decodeObject } from '../lib/kinds/decode';
import type { KindInfo } from '../lib/kinds/kind-info';
import { findKindByKind } from '../lib/kinds/registry';
import { TableChangeLog } from '../lib/store/change-log/table-change-log';
import { createObjectTable } from '../lib/store/create-object-table';
import { DynamoObjectStore } from '../lib/store/dynamo-object-store';
import { SkiffStack } from '../infra/skiff-stack';
import { proxyEvent, streamEvent } from '../test/infra/lambda-events';
import {
  invokeShippedTimed,
  synthesizeShippedStack,
  type InvocationTiming,
  type ShippedFunction,
} from '../test/infra/shipped-bundles';
import { aConfigMap, aDeployment } from '../test/support/builders';
import { dynamoClient } from '../test/support/dynamo-engines';
import { startDynamoDbLocal } from '../test/support/engines/start-dynamodb-local';
import { StreamPump } from '../test/support/stream-pump';

const QUICK = process.argv.includes('--quick');
const INVOCATIONS = QUICK ? 30 : 200;
/** Invocations left out first: module loading, JIT warm-up, the SDK's first connections. */
const WARM_UP = QUICK ? 10 : 40;
const TABLE_NAME = 'skiff-bench-invocations';
const DeploymentKind = findKindByKind('apps/v1', 'Deployment') as KindInfo;
const ConfigMapKind = findKindByKind('v1', 'ConfigMap') as KindInfo;
const ReplicaSetKind = findKindByKind('apps/v1', 'ReplicaSet') as KindInfo;

/**
 * `npm run bench:invocations`: what one warm invocation of the shipped bundles costs, measured, and
 * the Lambda durations derived from it (lib/cost/durations.ts) against the ones the cost model
 * assumes (WORKLOAD.durationMs). The bundles run as `cdk synth` writes them, in a fresh Node.js
 * process each, against DynamoDB Local on loopback:
 * - the API function answering a ConfigMap merge patch (a mutation, as the model's (c) prices);
 * - the reconcile function answering a stream batch of one Deployment change (as (c') prices).
 */
async function main(): Promise<void> {
  const engine = await startDynamoDbLocal();
  const workDir = mkdtempSync(path.join(tmpdir(), 'skiff-bench-invocations-'));
  const shipped = synthesizeShippedStack('SkiffBench');
  try {
    const env = {
      AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
      SKIFF_TABLE_NAME: TABLE_NAME,
      SKIFF_CLUSTER_NAME: 'bench',
      // Never contacted: a settled Deployment's reconcile asks for no requeue (checked below).
      SKIFF_REQUEUE_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unused',
    };
    const records = await seed(engine.endpoint);
    const api = measure(shipped.function('Api/Function'), 'handler', patchEvents(), env, workDir);
    const reconcile = measure(
      shipped.function('Reconciler/Function'),
      'handler',
      records.map((record) => streamEvent([record])),
      env,
      workDir,
    );
    for (const answer of api.answers as APIGatewayProxyResult[])
      if (answer.statusCode !== 200)
        throw new Error(`a patch was answered ${answer.statusCode}: ${answer.body}`);
    for (const answer of reconcile.answers as DynamoDBBatchResponse[])
      if (answer.batchItemFailures.length > 0) throw new Error('a reconcile batch failed');

    const memory = memoryOfStack();
    console.log(
      `bench:invocations${QUICK ? ' (quick)' : ''}: ${INVOCATIONS} invocations of each shipped bundle, the first ${WARM_UP} left out, DynamoDB Local on loopback`,
    );
    report('API function, ConfigMap merge patch', api.timings, memory.api, WORKLOAD.durationMs.apiRequest);
    report(
      'reconcile function, one Deployment change',
      reconcile.timings,
      memory.reconciler,
      WORKLOAD.durationMs.reconcileBatch,
    );
  } finally {
    shipped.remove();
    rmSync(workDir, { recursive: true, force: true });
    await engine.stop();
  }
}

/**
 * The table with the system namespaces, a ConfigMap to patch, and a settled Deployment (its
 * ReplicaSet made, its status written); then INVOCATIONS label changes of the Deployment, whose
 * stream records the reconcile bundle is handed one at a time.
 */
async function seed(endpoint: string): Promise<StreamRecord[]> {
  const client = dynamoClient(endpoint);
  try {
    await createObjectTable(client, TABLE_NAME);
    const store = new DynamoObjectStore({
      client,
      tableName: TABLE_NAME,
      changes: new TableChangeLog({ client, tableName: TABLE_NAME }),
    });
    await ensureSystemNamespaces(store);
    await store.create(ConfigMapKind, decodeObject(ConfigMapKind, aConfigMap({ name: 'bench' })).object);
    await store.create(DeploymentKind, decodeObject(DeploymentKind, aDeployment({ name: 'web' })).object);
    const key = { kind: DeploymentKind, namespace: 'default', name: 'web' };
    const context = storeReconcileContext(store);
    await deploymentController.reconcile(key, context);
    await markReplicaSetsAvailable(store);
    for (let i = 0; i < 3; i++) await deploymentController.reconcile(key, context);
    const settled = await deploymentController.reconcile(key, context);
    if (settled.requeueAfterSeconds !== undefined) throw new Error('the Deployment did not settle');

    const pump = await StreamPump.open(endpoint, TABLE_NAME);
    try {
      await pump.poll();
      const seen = pump.records().length;
      for (let i = 0; i < INVOCATIONS; i++) {
        const stored = await store.get(DeploymentKind, 'default', 'web');
        const labels = { ...stored.metadata.labels, revision: String(i) };
        await store.update(DeploymentKind, { ...stored, metadata: { ...stored.metadata, labels } });
      }
      const records: StreamRecord[] = [];
      const deadline = Date.now() + 30_000;
      while (records.length < INVOCATIONS && Date.now() < deadline) {
        await pump.poll();
        records.splice(
          0,
          records.length,
          ...pump
            .records()
            .slice(seen)
            .filter((r) => r.eventName === 'MODIFY' && objectOfRecord(r)?.object.kind === 'Deployment'),
        );
      }
      if (records.length < INVOCATIONS) throw new Error(`only ${records.length} stream records arrived`);
      return records.slice(0, INVOCATIONS);
    } finally {
      pump.close();
    }
  } finally {
    client.destroy();
  }
}

/** What the ReplicaSet controller and the nodes would report once every replica is up. */
async function markReplicaSetsAvailable(store: DynamoObjectStore): Promise<void> {
  const { items } = await store.list(ReplicaSetKind, { namespace: 'default' });
  for (const rs of items) {
    const replicas = (rs.spec as { replicas?: number }).replicas ?? 0;
    await store.updateStatus(ReplicaSetKind, {
      ...rs,
      status: {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: rs.metadata.generation,
      },
    });
  }
}

/** INVOCATIONS merge patches of the ConfigMap, each changing its data. */
function patchEvents() {
  return Array.from({ length: INVOCATIONS }, (_, i) => {
    const event = proxyEvent('PATCH', '/api/v1/namespaces/default/configmaps/bench', {
      data: { n: String(i) },
    });
    const headers = { ...event.headers, 'Content-Type': 'application/merge-patch+json' };
    return {
      ...event,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    };
  });
}

function measure(
  fn: ShippedFunction,
  exportName: string,
  events: unknown[],
  env: Record<string, string>,
  workDir: string,
): { answers: unknown[]; timings: InvocationTiming[] } {
  const { answers, timings } = invokeShippedTimed<unknown>({ ...fn, exportName }, events, env, workDir);
  return { answers, timings: timings.slice(WARM_UP) };
}

/** The memory the stack gives the API and reconcile functions. */
function memoryOfStack(): { api: number; reconciler: number } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SkiffStack(app, 'Skiff');
  const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  const { functions } = inventoryOf(template);
  return { api: functions.api.memoryMb, reconciler: functions.reconciler.memoryMb };
}

/**
 * Prints one function's figures. The model takes the mean derived duration: Lambda bills every
 * invocation its own duration, so what a million of them cost is a million times the mean, not the
 * median or a high percentile (GC pauses and the like are in the mean, at their frequency).
 */
function report(what: string, timings: InvocationTiming[], memoryMb: number, assumedMs: number): void {
  const cpu = timings.map((t) => t.cpuMs).sort((a, b) => a - b);
  const wall = timings.map((t) => t.wallMs).sort((a, b) => a - b);
  const calls = typicalCalls(timings);
  const durations = cpu.map((cpuMs) => derivedDurationMs({ cpuMs, calls }, memoryMb));
  const meanDuration = durations.reduce((sum, ms) => sum + ms, 0) / durations.length;
  const meanCpu = cpu.reduce((sum, ms) => sum + ms, 0) / cpu.length;
  console.log(`\n${what}`);
  console.log(
    `  CPU per invocation here: mean ${meanCpu.toFixed(2)} ms, p50 ${quantile(cpu, 0.5).toFixed(2)} ms, p90 ${quantile(cpu, 0.9).toFixed(2)} ms; wall on loopback p50 ${quantile(wall, 0.5).toFixed(2)} ms`,
  );
  console.log(
    `  AWS calls per invocation: ${Object.entries(calls)
      .map(([operation, count]) => `${count} ${operation}`)
      .join(', ')}`,
  );
  console.log(
    `  derived Lambda duration at ${memoryMb} MB (arm64): mean ${meanDuration.toFixed(1)} ms, p50 ${quantile(durations, 0.5)} ms, p90 ${quantile(durations, 0.9)} ms`,
  );
  console.log(
    `  the cost model assumes ${assumedMs} ms: mean derived / assumed = ${(meanDuration / assumedMs).toFixed(2)} (${meanDuration <= assumedMs ? 'covered' : 'NOT COVERED'})`,
  );
}

/** The calls most invocations made (the mode of their multisets). */
function typicalCalls(timings: InvocationTiming[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { calls } of timings) {
    const key = JSON.stringify(Object.entries(calls).sort());
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [mode] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['[]'];
  return Object.fromEntries(JSON.parse(mode) as [string, number][]);
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
