import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { isAlreadyExists } from '../../lib/client/api-error';
import { KubeClient } from '../../lib/client/kube-client';
import type { ResourceRef } from '../../lib/client/resource-path';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { remoteBearerTokens } from '../support/remote-proxy';
import {
  LOCALSTACK_OUTPUTS,
  REMOTE_CONTROL_LOOP_DEADLINE_MS,
  converged,
  findRemote,
  remoteTarget,
  type RemoteTarget,
} from '../support/remote-target';

/**
 * The example StaticSite operator deployed through its CDK construct (`-c exampleOperators=true`,
 * as CI's LocalStack phase deploys it): a StaticSite written through the deployed API reaches the
 * operator's function through the stream fan-out, and the function writes the children and status
 * back through the API. Skipped unless the deployed stack has the operator (its ExampleOperator output).
 */
const target = remoteTarget();
const deployed =
  target !== undefined &&
  existsSync(LOCALSTACK_OUTPUTS) &&
  (JSON.parse(readFileSync(LOCALSTACK_OUTPUTS, 'utf8')) as { ExampleOperator?: string }).ExampleOperator ===
    'static-site';
const describeDeployed = deployed ? describe : describe.skip;

interface Obj {
  metadata: { name: string; uid: string; ownerReferences?: { uid: string; controller?: boolean }[] };
  spec?: { replicas?: number };
  data?: Record<string, string>;
  status?: { conditions?: { type: string; status: string }[]; observedGeneration?: number };
}

describeDeployed('the example operator on the deployed stack', () => {
  const namespace = `operators-${randomBytes(3).toString('hex')}`;
  let client: KubeClient;
  const sites: ResourceRef = { apiVersion: 'web.skiff.dev/v1alpha1', plural: 'staticsites', namespace };
  const children: [ResourceRef, string][] = [
    [{ apiVersion: 'v1', plural: 'configmaps', namespace }, 'hello-files'],
    [{ apiVersion: 'apps/v1', plural: 'deployments', namespace }, 'hello'],
    [{ apiVersion: 'v1', plural: 'services', namespace }, 'hello'],
  ];
  const find = (ref: ResourceRef) => findRemote<Obj>(client, ref);

  beforeAll(async () => {
    client = new KubeClient({
      server: (target as RemoteTarget).apiUrl,
      token: remoteBearerTokens(target as RemoteTarget),
    });
    const crd = parse(
      readFileSync(path.join(PROJECT_ROOT, 'examples/customresourcedefinition.yaml'), 'utf8'),
    ) as object;
    await client
      .create({ apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' }, crd)
      .catch((error: unknown) => {
        if (!isAlreadyExists(error)) throw error;
      });
    await client.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name: namespace } });
  });

  test(
    'a StaticSite gets its children and status, a change updates them, deleting it removes them',
    async () => {
      const manifest = parse(
        readFileSync(path.join(PROJECT_ROOT, 'examples/staticsite.yaml'), 'utf8'),
      ) as object;
      // Every API instance learns of the new CRD within its re-read interval.
      const site = await converged(() => client.create<Obj>(sites, manifest));
      for (const [ref, name] of children) {
        const child = await converged(async () => {
          const found = await find({ ...ref, name });
          expect(found).toBeDefined();
          return found as Obj;
        });
        expect(child.metadata.ownerReferences).toEqual([
          expect.objectContaining({ uid: site.metadata.uid, controller: true }),
        ]);
      }
      await converged(async () => {
        const status = (await client.get<Obj>({ ...sites, name: 'hello' })).status;
        expect(status?.conditions).toEqual([expect.objectContaining({ type: 'Reconciled', status: 'True' })]);
      });

      await client.patch({ ...sites, name: 'hello' }, { spec: { replicas: 3 } });
      await converged(async () => {
        expect((await client.get<Obj>({ ...children[1][0], name: 'hello' })).spec?.replicas).toBe(3);
      });

      await client.delete({ ...sites, name: 'hello' });
      for (const [ref, name] of children)
        await converged(async () => {
          expect(await find({ ...ref, name })).toBeUndefined();
        });
    },
    6 * REMOTE_CONTROL_LOOP_DEADLINE_MS,
  );
});
