import { aConfigMap, aContainer, aPod } from '../../test/support/builders';

/** One request of the hostile benchmark. */
export interface HostileRequest {
  name: string;
  method: string;
  path: string;
  contentType?: string;
  body: unknown;
}

const NS = '/api/v1/namespaces/default';
/**
 * The longest env list a stored Pod can hold under the 256 KiB object limit, near enough, now that
 * managedFields record every item by its key (about 58 bytes an item in all, as in kube).
 */
const ENV_ITEMS = 4_000;
const ENV_ITEMS_TEXT = ENV_ITEMS.toLocaleString('en');
/** The longest args list likewise. */
const ARGS_ITEMS = 28_000;

const envVar = (i: number) => ({ name: `E${i}` });
const arg = (i: number) => `a${i}`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Objects the cases patch: a ConfigMap with a 1,000-character value, Pods with long lists. */
export const SETUP: HostileRequest[] = [
  {
    name: 'configmap',
    method: 'POST',
    path: `${NS}/configmaps`,
    body: aConfigMap({ name: 'target', data: { a: 'x'.repeat(1000) } }),
  },
  {
    name: 'pod with a long env',
    method: 'POST',
    path: `${NS}/pods`,
    body: aPod({
      name: 'envy',
      containers: [aContainer({ name: 'app', env: range(ENV_ITEMS).map(envVar) })],
    }),
  },
  {
    name: 'pod with long args',
    method: 'POST',
    path: `${NS}/pods`,
    body: aPod({ name: 'argy', containers: [aContainer({ name: 'app', args: range(ARGS_ITEMS).map(arg) })] }),
  },
];

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

/** The manifest with a server-generated name instead of its own, so that every run creates anew. */
function fresh<T extends { metadata?: { name?: string } }>(manifest: T): T {
  const { name, ...metadata } = manifest.metadata ?? {};
  return { ...manifest, metadata: { ...metadata, generateName: `${name ?? 'bench'}-` } };
}

/** `{"x":{"x":...}}`, `depth` objects deep. */
const nested = (depth: number) => '{"x":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

/** The worst requests of at most 1 MB found so far; each names what it attacks. */
export const HOSTILE_CASES: HostileRequest[] = [
  {
    name: 'json patch: 18 copies of /data into itself (the 2.96 GB one)',
    method: 'PATCH',
    path: `${NS}/configmaps/target`,
    contentType: JSON_PATCH,
    body: range(18).map((i) => ({ op: 'copy', from: '/data', path: `/data/c${i}` })),
  },
  {
    name: `json patch: 10,000 removes at the head of a ${ENV_ITEMS_TEXT}-item list`,
    method: 'PATCH',
    path: `${NS}/pods/envy`,
    contentType: JSON_PATCH,
    body: range(10_000).map(() => ({ op: 'remove', path: '/spec/containers/0/env/0' })),
  },
  {
    name: 'json patch: 10,000 tests of the whole object',
    method: 'PATCH',
    path: `${NS}/configmaps/target`,
    contentType: JSON_PATCH,
    body: range(10_000).map(() => ({ op: 'test', path: '/data', value: { a: 'x' } })),
  },
  {
    name: `strategic merge: ${ENV_ITEMS_TEXT} env items merged by name into ${ENV_ITEMS_TEXT}`,
    method: 'PATCH',
    path: `${NS}/pods/envy`,
    contentType: STRATEGIC,
    body: {
      spec: {
        containers: [{ name: 'app', env: range(ENV_ITEMS).map((i) => ({ name: `E${i}`, value: 'v' })) }],
      },
    },
  },
  {
    name: `strategic merge: $setElementOrder over ${ENV_ITEMS_TEXT} env items, reversed`,
    method: 'PATCH',
    path: `${NS}/pods/envy`,
    contentType: STRATEGIC,
    body: {
      spec: {
        containers: [
          {
            name: 'app',
            '$setElementOrder/env': range(ENV_ITEMS)
              .reverse()
              .map((i) => ({ name: `E${i}` })),
            env: [{ name: 'E0', value: 'v' }],
          },
        ],
      },
    },
  },
  {
    name: 'strategic merge: $deleteFromPrimitiveList of 56,000 from 28,000',
    method: 'PATCH',
    path: `${NS}/pods/argy`,
    contentType: STRATEGIC,
    body: {
      spec: {
        containers: [{ name: 'app', '$deleteFromPrimitiveList/args': range(56_000).map((i) => `z${i}`) }],
      },
    },
  },
  {
    name: 'merge patch: 40,000 labels',
    method: 'PATCH',
    path: `${NS}/configmaps/target`,
    contentType: MERGE_PATCH,
    body: { metadata: { labels: Object.fromEntries(range(40_000).map((i) => [`k${i}`, 'v'])) } },
  },
  {
    name: 'create: a Pod with 1 MB of env',
    method: 'POST',
    path: `${NS}/pods`,
    body: aPod({ name: 'huge', containers: [aContainer({ name: 'app', env: range(40_000).map(envVar) })] }),
  },
  {
    name: 'create: a ConfigMap with 40,000 keys',
    method: 'POST',
    path: `${NS}/configmaps`,
    body: aConfigMap({ name: 'keys', data: Object.fromEntries(range(40_000).map((i) => [`k${i}`, 'v'])) }),
  },
  {
    name: 'create: 50,000 unknown fields (50,000 warnings)',
    method: 'POST',
    path: `${NS}/configmaps`,
    body: {
      ...fresh(aConfigMap({ name: 'unknown' })),
      ...Object.fromEntries(range(50_000).map((i) => [`u${i}`, 1])),
    },
  },
  {
    name: 'create: an unknown field 999 levels deep',
    method: 'POST',
    path: `${NS}/configmaps`,
    body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"deep-"},"x":${nested(999)}}`,
  },
  {
    name: 'create: 1 MB nested 10,000 deep',
    method: 'POST',
    path: `${NS}/configmaps`,
    body: `{"metadata":{"name":"deeper"},"x":${nested(10_000)}}`,
  },
];
