import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { apiVersionOf, type KindInfo } from '../../../lib/kinds/kind-info';
import { KINDS, findKindByKind } from '../../../lib/kinds/registry';
import { aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';
import { aNodeClaim, aNodePool } from '../../unit/kinds/capacity-builders';

const GROUP = '/apis/skiff.dev/v1alpha1';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** The collection path of a kind, in `namespace` when the kind is namespaced. */
function collectionOf(kind: KindInfo, namespace = 'default'): string {
  const prefix = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return kind.namespaced ? `${prefix}/namespaces/${namespace}/${kind.plural}` : `${prefix}/${kind.plural}`;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** Every manifest in examples/ (a file may hold several), namespaces first (the others may live in one). */
function examples(): { file: string; manifest: Manifest }[] {
  return readdirSync('examples')
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(`examples/${file}`, 'utf8')).map((document) => ({
        file,
        manifest: document.toJS() as Manifest,
      })),
    )
    .sort((a, b) => Number(b.manifest.kind === 'Namespace') - Number(a.manifest.kind === 'Namespace'));
}

describe('NodePool and NodeClaim through the API', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it('lists the skiff.dev group and its cluster-scoped resources in discovery, as kubectl api-resources reads them', async () => {
    const groups = (await api.call('GET', '/apis')).body.groups;
    expect(groups).toContainEqual({
      name: 'skiff.dev',
      versions: [{ groupVersion: 'skiff.dev/v1alpha1', version: 'v1alpha1' }],
      preferredVersion: { groupVersion: 'skiff.dev/v1alpha1', version: 'v1alpha1' },
    });
    const resources = (await api.call('GET', GROUP)).body.resources;
    expect(resources.map((r: { name: string }) => r.name)).toEqual([
      'nodepools',
      'nodepools/status',
      'nodeclaims',
      'nodeclaims/status',
      'accessentries',
    ]);
    expect(resources[0]).toMatchObject({
      name: 'nodepools',
      singularName: 'nodepool',
      namespaced: false,
      kind: 'NodePool',
      shortNames: ['np'],
      categories: ['karpenter'],
      verbs: expect.arrayContaining(['create', 'get', 'list', 'patch', 'update', 'delete']),
    });
    expect(resources[2]).toMatchObject({ name: 'nodeclaims', kind: 'NodeClaim', shortNames: ['nc'] });
  });

  it('lists pods/binding with the create verb, as kube-apiserver does', async () => {
    const resources = (await api.call('GET', '/api/v1')).body.resources;
    expect(resources).toContainEqual({
      name: 'pods/binding',
      singularName: '',
      namespaced: true,
      kind: 'Binding',
      verbs: ['create'],
    });
  });

  it('publishes OpenAPI for both kinds, and the Binding a pod takes', async () => {
    const index = (await api.call('GET', '/openapi/v3')).body.paths;
    expect(index['apis/skiff.dev/v1alpha1'].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/skiff.dev\/v1alpha1\?hash=/,
    );
    const document = (await api.call('GET', '/openapi/v3/apis/skiff.dev/v1alpha1')).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        `${GROUP}/nodepools`,
        `${GROUP}/nodepools/{name}`,
        `${GROUP}/nodepools/{name}/status`,
        `${GROUP}/nodeclaims/{name}`,
      ]),
    );
    expect(document.paths[`${GROUP}/nodepools/{name}`].patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'skiff.dev',
      version: 'v1alpha1',
      kind: 'NodePool',
    });
    const pool = document.components.schemas['dev.skiff.v1alpha1.NodePool'];
    expect(pool['x-kubernetes-group-version-kind']).toEqual([
      { group: 'skiff.dev', kind: 'NodePool', version: 'v1alpha1' },
    ]);
    expect(pool.properties.spec).toBeDefined();
    expect(document.components.schemas['dev.skiff.v1alpha1.NodeClaim']).toBeDefined();
    const core = (await api.call('GET', '/openapi/v3/api/v1')).body;
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding'].post).toMatchObject({
      operationId: 'createPodBinding',
      'x-kubernetes-action': 'post',
      'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Binding' },
    });
    expect(core.components.schemas['io.k8s.api.core.v1.Binding'].properties.target).toBeDefined();
  });

  it('has an example manifest for every kind, and the API accepts each as written', async () => {
    // Objects of custom kinds (examples/staticsite.yaml) need their CRD served first: the CRD's
    // own tests apply them (test/e2e/kubectl-custom-resources.test.ts).
    const found = examples().filter(({ manifest }) => findKindByKind(manifest.apiVersion, manifest.kind));
    // At least one per kind (NodePool has two: one for EC2, one for npm start's local types).
    expect(
      [...new Set(found.map(({ manifest }) => `${manifest.apiVersion}/${manifest.kind}`))].sort(),
    ).toEqual(KINDS.map((kind) => `${apiVersionOf(kind)}/${kind.kind}`).sort());
    for (const { file, manifest } of found) {
      const kind = findKindByKind(manifest.apiVersion, manifest.kind)!;
      const answer = await api.call('POST', collectionOf(kind, manifest.metadata.namespace), {
        body: manifest,
        query: { fieldValidation: 'Strict' },
      });
      expect({
        file,
        status: answer.status,
        failure: answer.status === 201 ? undefined : answer.body.message,
      }).toEqual({
        file,
        status: 201,
        failure: undefined,
      });
    }
  });

  it('stores the defaults and starts status empty, which only the status subresource then writes', async () => {
    const created = await api.call('POST', `${GROUP}/nodepools`, {
      body: { ...aNodePool({}, 'defaults'), status: { usdPerHour: '9.99' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%' }],
    });
    expect(created.body.status).toEqual({});
    const status = { resources: { cpu: '4', memory: '8Gi', nodes: '2' }, usdPerHour: '0.0832' };
    const written = await api.call('PATCH', `${GROUP}/nodepools/defaults/status`, {
      contentType: 'application/merge-patch+json',
      body: { status },
    });
    expect(written.status).toBe(200);
    expect(written.body.status).toEqual(status);
  });

  it('refuses an invalid pool with 422 Invalid and field causes', async () => {
    const answer = await api.call('POST', `${GROUP}/nodepools`, {
      body: aNodePool({ weight: 500, disruption: { consolidateAfter: 'soon' } }, 'bad'),
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      reason: 'Invalid',
      details: { name: 'bad', group: 'skiff.dev', kind: 'NodePool' },
      message: expect.stringMatching(/^NodePool.skiff.dev "bad" is invalid: \[/),
    });
    expect(answer.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'spec.disruption.consolidateAfter',
      'spec.weight',
    ]);
  });

  it("prints NodeClaims with Karpenter's columns for kubectl get, and selects them by pool", async () => {
    const claim = aNodeClaim(
      { capacityType: 'spot', zone: 'us-east-1a', usdPerHour: '0.0101' },
      'general-table',
    );
    expect((await api.call('POST', `${GROUP}/nodeclaims`, { body: claim })).status).toBe(201);
    await api.call('PATCH', `${GROUP}/nodeclaims/general-table/status`, {
      contentType: 'application/merge-patch+json',
      body: { status: { nodeName: 'ip-10-0-1-23', conditions: [{ type: 'Ready', status: 'True' }] } },
    });
    const table = (
      await api.call('GET', `${GROUP}/nodeclaims`, {
        accept: TABLE,
        query: { fieldSelector: 'spec.nodePool=general' },
      })
    ).body;
    expect(
      table.columnDefinitions
        .filter((c: { priority: number }) => c.priority === 0)
        .map((c: { name: string }) => c.name),
    ).toEqual(['Name', 'Type', 'Capacity', 'Zone', 'Node', 'Ready', 'Age']);
    const row = table.rows.find((r: { cells: unknown[] }) => r.cells[0] === 'general-table');
    expect(row.cells.slice(0, 6)).toEqual([
      'general-table',
      't4g.medium',
      'spot',
      'us-east-1a',
      'ip-10-0-1-23',
      'True',
    ]);
    const elsewhere = await api.call('GET', `${GROUP}/nodeclaims`, {
      query: { fieldSelector: 'spec.nodePool=other' },
    });
    expect(elsewhere.body.items).toEqual([]);
  });

  it('prints NodePools with their nodes and readiness', async () => {
    await api.call('POST', `${GROUP}/nodepools`, { body: aNodePool({ weight: 7 }, 'printed') });
    const table = (await api.call('GET', `${GROUP}/nodepools/printed`, { accept: TABLE })).body;
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Nodes',
      'Ready',
      'Age',
      'Weight',
      'CPU',
      'Memory',
      '$/h',
    ]);
    expect(table.rows[0].cells).toEqual(['printed', '0', 'Unknown', expect.any(String), 7, '0', '0', '0']);
  });

  it('keeps the conditions a scheduler writes on a pod, in the shape kubectl describe prints', async () => {
    await api.call('POST', '/api/v1/namespaces/default/pods', { body: aPod({ name: 'pending-one' }) });
    const pod = (await api.call('GET', '/api/v1/namespaces/default/pods/pending-one')).body;
    expect(pod.status).toEqual({ phase: 'Pending' });
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: 'no NodePool allows an instance with 64 cpu',
      lastProbeTime: '2026-11-20T10:00:00Z',
      lastTransitionTime: '2026-11-20T10:00:00Z',
    };
    const written = await api.call('PUT', '/api/v1/namespaces/default/pods/pending-one/status', {
      body: { ...pod, status: { ...pod.status, conditions: [condition] } },
    });
    expect(written.status).toBe(200);
    const read = (await api.call('GET', '/api/v1/namespaces/default/pods/pending-one')).body;
    expect(read.status).toEqual({ phase: 'Pending', conditions: [condition] });
  });
});
