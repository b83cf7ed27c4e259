import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { parse } from 'yaml';
import { addStaticSiteOperator } from '../../examples/operators/static-site/cdk';
import { KubeClient } from '../../lib/client/kube-client';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { customKindsOf, type DefinitionView } from '../../lib/crd/custom-kind';
import type { KubeObject } from '../../lib/kinds/meta';
import { parentKindOf } from '../../lib/operators/operator-function';
import { toItem } from '../../lib/store/object-item';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { eventually } from '../support/eventually';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { streamEvent } from './lambda-events';
import { invokeShipped, synthesizeShippedStack, type ShippedStack } from './shipped-bundles';

/**
 * The StaticSite operator's function as `cdk synth` bundles it (its module aliased into
 * functions/operator), given a stream record of a StaticSite: it reaches a real API (`npm start`,
 * API only) and creates the site's children there, owned by it, and writes its status.
 */
describe('the shipped operator bundle', () => {
  let shipped: ShippedStack;
  let server: LocalServerProcess;
  let workDir: string;
  const crd = parse(
    readFileSync(path.join(PROJECT_ROOT, 'examples/customresourcedefinition.yaml'), 'utf8'),
  ) as DefinitionView;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'skiff-operator-smoke-'));
    [server, shipped] = await Promise.all([
      spawnLocalServer(),
      Promise.resolve().then(() =>
        synthesizeShippedStack('Skiff', (stack) => addStaticSiteOperator(stack, stack)),
      ),
    ]);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    shipped?.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('a StaticSite record makes its ConfigMap, Deployment and Service and a Reconciled status', async () => {
    const client = new KubeClient({ server: server.url });
    await client.create({ apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' }, crd);
    const sites = { apiVersion: 'web.skiff.dev/v1alpha1', plural: 'staticsites', namespace: 'default' };
    const site = await eventually(() =>
      client.create<KubeObject>(
        sites,
        parse(readFileSync(path.join(PROJECT_ROOT, 'examples/staticsite.yaml'), 'utf8')),
      ),
    );
    const [kind] = customKindsOf(crd);
    const record = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '1', NewImage: toItem(kind, site, JSON.stringify(site)) },
    };

    const [answer] = invokeShipped<DynamoDBBatchResponse>(
      shipped.function('StaticSites/Function'),
      [streamEvent([record as StreamRecord])],
      {
        SKIFF_API_URL: server.url,
        SKIFF_CLUSTER_NAME: 'smoke',
        SKIFF_OPERATOR_PARENT: JSON.stringify(parentKindOf(crd)),
      },
      workDir,
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    for (const [apiVersion, plural, name] of [
      ['v1', 'configmaps', 'hello-files'],
      ['apps/v1', 'deployments', 'hello'],
      ['v1', 'services', 'hello'],
    ]) {
      const child = await client.get<KubeObject>({ apiVersion, plural, namespace: 'default', name });
      expect(child.metadata.ownerReferences).toEqual([
        expect.objectContaining({ uid: site.metadata.uid, controller: true }),
      ]);
    }
    const synced = await client.get<KubeObject & { status?: { conditions?: unknown[] } }>({
      ...sites,
      name: 'hello',
    });
    expect(synced.status?.conditions).toEqual([
      expect.objectContaining({ type: 'Reconciled', status: 'True' }),
    ]);
  }, 60_000);
});
