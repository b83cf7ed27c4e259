import { createApiHandler } from '../../../lib/api/api-handler';
import { definitionNameOf, groupVersionPath } from '../../../lib/api/openapi/schema-names';
import { apiVersionOf, type KindInfo } from '../../../lib/kinds/kind-info';
import { KINDS, REVIEW_KINDS } from '../../../lib/kinds/registry';
import type { ObjectStore } from '../../../lib/store/object-store';

type Json = Record<string, unknown>;

const SERVED: readonly KindInfo[] = [...KINDS, ...REVIEW_KINDS];
const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
/** What kubectl 1.32 sends for discovery. */
const KUBECTL_ACCEPT = `${AGGREGATED_V2},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;

/**
 * Discovery and OpenAPI paths never touch the store: one that throws proves it, and spares the test
 * a database.
 */
const noStore = new Proxy({} as ObjectStore, {
  get: (_target, method) => () => {
    throw new Error(`discovery used the store (${String(method)})`);
  },
});
const handle = createApiHandler({ store: noStore, logError: () => undefined });

async function get(path: string, accept?: string): Promise<{ contentType: string; body: Json }> {
  const response = await handle({ method: 'GET', path, query: {}, headers: accept ? { accept } : {} });
  expect(response.statusCode).toBe(200);
  return { contentType: response.headers['content-type'], body: JSON.parse(response.body as string) };
}

/**
 * The subresources a kind declares: each `has<Name>` flag of its KindInfo is the subresource
 * `<name>` (hasStatus: status, hasEviction: eviction), so a new flag needs no change here.
 */
function subresourcesOf(kind: KindInfo): string[] {
  return Object.entries(kind)
    .filter(([key, value]) => /^has[A-Z]/.test(key) && value === true)
    .map(([key]) => key.slice(3).toLowerCase())
    .sort();
}

/** `v1 pods`, `v1 pods/status`, ...: every resource and subresource the registry serves. */
const expectedResources = SERVED.flatMap((kind) => [
  `${apiVersionOf(kind)} ${kind.plural}`,
  ...subresourcesOf(kind).map((sub) => `${apiVersionOf(kind)} ${kind.plural}/${sub}`),
]).sort();

const groupVersions = [...new Set(SERVED.map((kind) => apiVersionOf(kind)))];

describe('discovery and OpenAPI list exactly the kinds of the registry', () => {
  it('/api and /apis name every group version, and no other', async () => {
    expect((await get('/api')).body.versions).toEqual(['v1']);
    const groups = (await get('/apis')).body.groups as { versions: { groupVersion: string }[] }[];
    expect(groups.flatMap((g) => g.versions.map((v) => v.groupVersion)).sort()).toEqual(
      groupVersions.filter((gv) => gv.includes('/')).sort(),
    );
  });

  it('the group version documents list every resource and subresource, with kind, scope and names', async () => {
    const listed: string[] = [];
    for (const gv of groupVersions) {
      const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
      const { body } = await get(path);
      expect(body.groupVersion).toBe(gv);
      for (const resource of body.resources as Json[]) {
        listed.push(`${gv} ${resource.name}`);
        const kind = SERVED.find((k) => apiVersionOf(k) === gv && k.plural === resource.name);
        if (!kind) continue;
        expect(resource).toMatchObject({
          kind: kind.kind,
          namespaced: kind.namespaced,
          singularName: kind.singular,
          // kube-apiserver's verbs for a stored resource, watch included (kubectl get -w needs it).
          verbs: kind.review
            ? ['create']
            : ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        });
        expect(resource.shortNames ?? []).toEqual(kind.shortNames);
      }
    }
    expect(listed.sort()).toEqual(expectedResources);
  });

  it.each([
    ['/api', KUBECTL_ACCEPT],
    ['/apis', KUBECTL_ACCEPT],
  ])('aggregated discovery at %s, as kubectl 1.32 asks, lists the same', async (path, accept) => {
    const { contentType, body } = await get(path, accept);
    expect(contentType).toBe(AGGREGATED_V2);
    expect(body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const listed: string[] = [];
    for (const group of body.items as Json[]) {
      const name = ((group.metadata as Json).name as string | undefined) ?? '';
      for (const version of group.versions as Json[])
        for (const resource of version.resources as Json[]) {
          const gv = apiVersionOf({ group: name, version: version.version as string });
          listed.push(`${gv} ${resource.resource}`);
          for (const sub of (resource.subresources as Json[] | undefined) ?? [])
            listed.push(`${gv} ${resource.resource}/${sub.subresource}`);
          const kind = SERVED.find((k) => apiVersionOf(k) === gv && k.plural === resource.resource)!;
          expect(resource).toMatchObject({
            responseKind: { group: kind.group, version: kind.version, kind: kind.kind },
            scope: kind.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: kind.singular,
          });
        }
    }
    const expected = expectedResources.filter(
      (entry) => (path === '/api') === !entry.split(' ')[0].includes('/'),
    );
    expect(listed.sort()).toEqual(expected);
  });

  it('answers the legacy documents to clients that do not ask for aggregated discovery', async () => {
    expect((await get('/apis', 'application/json')).body.kind).toBe('APIGroupList');
    expect((await get('/api')).body.kind).toBe('APIVersions');
  });

  it('/openapi/v3 has a document per group version with each kind, its paths and its subresources', async () => {
    const index = (await get('/openapi/v3')).body.paths as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(index).sort()).toEqual(
      SERVED.map((kind) => groupVersionPath(kind.group, kind.version))
        .filter((path, i, all) => all.indexOf(path) === i)
        .sort(),
    );
    for (const kind of SERVED) {
      const url = index[groupVersionPath(kind.group, kind.version)].serverRelativeURL;
      const document = (await get(url.split('?')[0])).body as { paths: Json; components: { schemas: Json } };
      expect(document.components.schemas[definitionNameOf(kind)]).toBeDefined();
      const prefix = `/${groupVersionPath(kind.group, kind.version)}`;
      const collection = kind.namespaced
        ? `${prefix}/namespaces/{namespace}/${kind.plural}`
        : `${prefix}/${kind.plural}`;
      const kindPaths = Object.keys(document.paths).filter(
        (p) => p === collection || p.startsWith(`${collection}/{name}`),
      );
      const expected = kind.review
        ? [collection]
        : [
            collection,
            `${collection}/{name}`,
            ...subresourcesOf(kind).map((sub) => `${collection}/{name}/${sub}`),
          ];
      expect(kindPaths.sort()).toEqual(expected.sort());
    }
  });
});
