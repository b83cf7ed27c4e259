import fc from 'fast-check';
import { groupVersionPath } from '../../../lib/api/openapi/schema-names';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { DeploymentKind } from '../../../lib/kinds/deployment';
import { EventKind } from '../../../lib/kinds/event';
import { JobKind } from '../../../lib/kinds/job';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { LeaseKind } from '../../../lib/kinds/lease';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeKind } from '../../../lib/kinds/node';
import { PodKind } from '../../../lib/kinds/pod';
import { ReplicaSetKind } from '../../../lib/kinds/replica-set';
import {
  aConfigMap,
  aDeployment,
  aJob,
  aLease,
  aNamespace,
  aNode,
  aPod,
  aReplicaSet,
  anEvent,
} from '../builders';
import { copyBombBody, objectBody, optionalBody, patchBody, type FuzzBody } from './body-arbitrary';
import { protobufBody } from './protobuf-body-arbitrary';
import { encodeRequest, type HeaderField, type RawRequestCase } from './raw-request';

/** A resource Skiff serves, with a valid manifest for a given name and namespace. */
interface Resource {
  /** `/api/v1` or `/apis/{group}/{version}`. */
  prefix: string;
  plural: string;
  namespaced: boolean;
  manifest: (name: string, namespace: string) => Record<string, unknown>;
}

/** The resource of `kind`, its path parts read from the kind's definition. */
function resource(kind: KindInfo, manifest: (name: string, namespace: string) => object): Resource {
  const { plural, namespaced } = kind;
  const prefix = `/${groupVersionPath(kind.group, kind.version)}`;
  return {
    prefix,
    plural,
    namespaced,
    manifest: (name, ns) => manifest(name, ns) as Record<string, unknown>,
  };
}

export const RESOURCES: readonly Resource[] = [
  resource(NamespaceKind, (name) => aNamespace({ name })),
  resource(PodKind, (name, namespace) => aPod({ name, namespace })),
  resource(NodeKind, (name) => aNode({ name })),
  resource(ConfigMapKind, (name, namespace) => aConfigMap({ name, namespace })),
  resource(EventKind, (name, namespace) => anEvent({ name, namespace })),
  resource(DeploymentKind, (name, namespace) => aDeployment({ name, namespace })),
  resource(ReplicaSetKind, (name, namespace) => aReplicaSet({ name, namespace })),
  resource(JobKind, (name, namespace) => aJob({ name, namespace })),
  resource(LeaseKind, (name, namespace) => aLease({ name, namespace })),
];

/** Names the fixtures use, so that most requests meet an existing object. */
export const FIXTURE_NAMES = ['fuzz-a', 'fuzz-b'] as const;

/** The namespace and object the copy bombs aim at; no other request names them. */
export const BOMB_NAMESPACE = 'fuzz-bombs';
export const BOMB_CONFIG_MAP = 'bomb';

/** Path segments as a client might send them: valid, odd, badly escaped, or very long. */
const segment = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...FIXTURE_NAMES, 'fuzz-c') },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }).map(encodeURIComponent),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%ZZ',
      '%',
      '%4',
      'a%zz',
      '%E2%82',
      '%C0%80',
      '%00',
      '%FF%FE',
      '%2F',
      '%2e%2e',
      '..',
      '.',
      'UPPER',
      '-a-',
      'a.b',
      'a_b',
      '%20',
      '%u2603',
      '%%',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(254, 300, 2000, 12_000).map((n) => 'a'.repeat(n)) },
);

const namespaceSegment = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('default', 'kube-system') },
  { weight: 2, arbitrary: segment },
);

const QUERY_VALUES = new Map<string, string[]>(
  Object.entries({
    fieldValidation: ['Strict', 'Warn', 'Ignore', 'strict', '', 'Bogus'],
    dryRun: ['All', 'all', '', 'None', 'Bogus'],
    labelSelector: [
      'app=web',
      'a in (b',
      '!',
      'a=b,c!=d',
      'x notin (a,b)',
      '((((',
      'a=' + 'b'.repeat(300),
      '=,=',
    ],
    fieldSelector: ['metadata.name=fuzz-a', 'spec.nodeName=', 'status.phase!=Running', 'bogus=1', '==', 'a'],
    limit: ['1', '0', '-1', '1.5', 'abc', '99999999999999999999', '1e3'],
    continue: ['', 'eyJ9', '!!!', 'eyJydiI6MX0', 'a'.repeat(500), '%ZZ'],
    resourceVersion: ['0', '1', '-1', 'abc', '99999999999999999999'],
    resourceVersionMatch: ['NotOlderThan', 'Exact', 'Bogus'],
    watch: ['true', '1', 'false', 'yes'],
    timeoutSeconds: ['1', '-1', 'x'],
    propagationPolicy: ['Foreground', 'Background', 'Orphan', 'Sideways'],
    gracePeriodSeconds: ['0', '-1', 'x', '1e30'],
    orphanDependents: ['true', 'false', 'maybe'],
    pretty: ['true', '1'],
    fieldManager: ['kubectl', '', 'x'.repeat(200)],
    force: ['true', 'x'],
    hash: ['0', 'ABC'],
    constructor: ['x'],
  }),
).set('__proto__', ['x']);
const queryKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...QUERY_VALUES.keys()) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const queryPair = queryKey.chain((key) =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.constantFrom(...(QUERY_VALUES.get(key) ?? [''])) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    )
    .chain((value) =>
      fc.constantFrom(
        `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
        // Raw: bad escapes and reserved characters as they come.
        `${key}=${value}`.replace(/[^\x21-\x7e]/gu, encodeURIComponent),
      ),
    ),
);
/**
 * A watch is answered with a stream that lasts until its timeout (30 to 60 minutes by default), so
 * a query that asks for one is given `timeoutSeconds=1` first (a repeated parameter keeps its first
 * value): the stream ends within the fuzz test's deadline, and it is still a watch being fuzzed.
 */
function boundedWatch(pairs: string[]): string[] {
  return pairs.some((pair) => pair === 'watch=true' || pair === 'watch=1')
    ? ['timeoutSeconds=1', ...pairs]
    : pairs;
}

const query = fc.oneof(
  { weight: 5, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(queryPair, { minLength: 1, maxLength: 4 })
      .map((pairs) => `?${boundedWatch(pairs).join('&')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?=', '?a', '?%', '?a=%ZZ', '?a=1&a=2', '?#frag') },
);

/** Paths that are not resources: discovery, OpenAPI, health, and made-up ones. */
const otherPath = fc.constantFrom(
  '/',
  '/api',
  '/apis',
  '/api/v1',
  '/api/v2',
  '/apis/apps',
  '/apis/apps/v1',
  '/apis/skiff.dev/v1alpha1',
  '/apis/unknown.example/v1/things',
  '/version',
  '/healthz',
  '/livez',
  '/readyz',
  '/metrics',
  '/openapi/v2',
  '/openapi/v3',
  '/openapi/v3/api/v1',
  '/openapi/v3/apis/apps/v1?hash=0',
  '/openapi/v3/../../etc/passwd',
  '/openapi/v3/%ZZ',
  '/api/v1/namespaces/default/pods/fuzz-a/log',
  '/api/v1/namespaces/default/pods/fuzz-a/exec?command=sh',
  '/apis/apps/v1/namespaces/default/deployments/fuzz-a/scale',
  '/api/v1/namespaces/fuzz-a/finalize',
  '/api/v1/watch/namespaces/default/pods',
  '/api/v1/namespaces/default/configmaps/fuzz-a/status',
  '/api/v1/namespaces/default/namespaces',
  '/api/v1/nodes/fuzz-a/proxy/metrics',
  '//api//v1//namespaces',
  '/api/v1/namespaces/',
  '/api/v1/namespaces/default/configmaps/%ZZ',
  '/%ZZ',
  '/api/%',
);

interface Target {
  resource: Resource;
  namespace: string;
  name: string | undefined;
  path: string;
}

/** A resource path: collection or object, namespaced or across namespaces, with or without /status. */
const resourceTarget: fc.Arbitrary<Target> = fc
  .record({
    resource: fc.constantFrom(...RESOURCES),
    namespace: namespaceSegment,
    name: fc.option(segment, { freq: 3 }),
    acrossNamespaces: fc.boolean(),
    status: fc.oneof(
      { weight: 6, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('/status', '/scale', '/%ZZ', '/') },
    ),
    slashes: fc.oneof(
      { weight: 12, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('/', '//') },
    ),
  })
  .map(({ resource, namespace, name, acrossNamespaces, status, slashes }) => {
    const scope =
      resource.namespaced && !(acrossNamespaces && name === null) ? `/namespaces/${namespace}` : '';
    const object = name === null ? '' : `/${name}${status}`;
    return {
      resource,
      namespace: safeDecode(namespace),
      name: name === null ? undefined : safeDecode(name),
      path: `${resource.prefix}${scope}/${resource.plural}${object}${slashes}`,
    };
  });

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
];
const OTHER_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=latin1',
  'application/apply-patch+yaml',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '*/*',
  '',
  ';;;',
  'application/json;' + 'p=1;'.repeat(500),
];
const contentType = (method: string) =>
  fc.oneof(
    {
      weight: 16,
      arbitrary: method === 'PATCH' ? fc.constantFrom(...PATCH_TYPES) : fc.constant('application/json'),
    },
    { weight: 2, arbitrary: fc.constantFrom(...PATCH_TYPES, ...OTHER_TYPES) },
    // Objects in protobuf, as kubectl and client-go send them (protobuf-body-arbitrary.ts).
    { weight: method === 'POST' || method === 'PUT' ? 2 : 0, arbitrary: fc.constant(PROTOBUF) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const accept = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json;as=Table;v=v1;g=meta.k8s.io',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json',
      'application/json;as=Table;v=v9;g=meta.k8s.io',
      'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
      'application/vnd.kubernetes.protobuf',
      'application/yaml',
      '*/*',
      'text/html',
      'application/json;q=0',
      ',,,',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);

/** Header values as clients, proxies and browsers send them; non-ASCII goes out as UTF-8 bytes. */
const extraHeader = (port: number): fc.Arbitrary<HeaderField> =>
  fc.oneof(
    fc.constantFrom<HeaderField>(
      ['User-Agent', 'kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef'],
      ['User-Agent', 'fuzz/\u2603 \u{1F600}'],
      ['Accept-Encoding', 'gzip, deflate, br'],
      ['Content-Encoding', 'gzip'],
      ['Authorization', 'Bearer garbage'],
      ['Authorization', 'Basic %%%'],
      ['Cookie', 'a=b; c'],
      ['Origin', `http://127.0.0.1:${port}`],
      ['Sec-Fetch-Site', 'same-origin'],
      ['Sec-Fetch-Site', 'none'],
      ['Sec-Fetch-Mode', 'cors'],
      ['If-None-Match', '"x"'],
      ['If-Match', '*'],
      ['Range', 'bytes=0-1'],
      ['Impersonate-User', 'system:admin'],
      ['X-HTTP-Method-Override', 'DELETE'],
      ['X-Forwarded-For', '1.2.3.4'],
      ['X-Forwarded-Host', 'evil.example'],
      ['Forwarded', 'for=1.2.3.4;host=evil.example'],
      ['Accept-Charset', 'latin1'],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', 'timeout=1'],
      ['TE', 'trailers'],
      ['Accept', 'application/json'],
      ['Accept', 'application/yaml'],
      ['Warning', '299 - "client warning"'],
      ['Audit-ID', '\u00e9\u00e9'],
      ['X-Long', 'v'.repeat(8000)],
    ),
    fc
      .tuple(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,20}$/),
        fc
          .string({ unit: 'grapheme', maxLength: 40 })
          // Control characters belong to the headers family, on connections of their own.
          .map((value) =>
            [...value]
              .filter((char) => char >= ' ' && char !== '\x7f')
              .join('')
              .trim(),
          ),
      )
      .filter(
        ([name]) =>
          !/^(content-length|transfer-encoding|host|connection|expect|upgrade|origin|sec-fetch-site|te)$/i.test(
            name,
          ),
      )
      .map(([name, value]) => [name, value] as HeaderField),
  );

/** The Host header: the server's own address nearly always, sometimes another spelling or a stranger. */
const hostHeader = (port: number): fc.Arbitrary<HeaderField[]> =>
  fc.oneof(
    { weight: 60, arbitrary: fc.constant<HeaderField[]>([['Host', `127.0.0.1:${port}`]]) },
    { weight: 3, arbitrary: fc.constant<HeaderField[]>([['Host', `localhost:${port}`]]) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<HeaderField[]>(
        [['Host', `LOCALHOST:${port}`]],
        [['Host', `[::1]:${port}`]],
        [['Host', '127.0.0.1']],
        [['Host', `evil.example:${port}`]],
        [['Host', `127.0.0.1.nip.io:${port}`]],
        [['Host', '']],
        [
          ['Host', `127.0.0.1:${port}`],
          ['Host', 'evil.example'],
        ],
        [['Host', `${port}`]],
        [
          ['Host', `127.0.0.1:${port}`],
          ['Origin', 'http://evil.example'],
        ],
        [
          ['Host', `127.0.0.1:${port}`],
          ['Sec-Fetch-Site', 'cross-site'],
        ],
      ),
    },
  );

const method = fc.oneof(
  { weight: 30, arbitrary: fc.constant('GET') },
  { weight: 20, arbitrary: fc.constant('POST') },
  { weight: 15, arbitrary: fc.constant('PUT') },
  { weight: 20, arbitrary: fc.constant('PATCH') },
  { weight: 10, arbitrary: fc.constant('DELETE') },
  { weight: 3, arbitrary: fc.constantFrom('HEAD', 'OPTIONS') },
);

/** The body for a method on a target: an object to create or replace, a patch, or mostly nothing. */
function bodyFor(
  verb: string,
  target: Target,
  mediaType: string | undefined,
): fc.Arbitrary<FuzzBody | undefined> {
  const name = target.name ?? 'fuzz-c';
  if (verb === 'POST' || verb === 'PUT') {
    // A POST names a fresh object often enough that creates succeed, and their warnings are written.
    const names =
      verb === 'POST'
        ? fc.oneof(fc.constant(name), fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/))
        : fc.constant(name);
    const bodyOf = mediaType === PROTOBUF ? protobufBody : objectBody;
    return names.chain((chosen) => bodyOf(target.resource.manifest(chosen, target.namespace)));
  }
  if (verb === 'PATCH') return patchBody(target.resource.manifest(name, target.namespace), mediaType ?? '');
  return optionalBody;
}

/**
 * A well-framed request (exact Content-Length, CRLF lines) to the API: every verb on every kind, on
 * odd paths and queries, with odd media types, headers and bodies. It shares a keep-alive
 * connection with others.
 */
export function apiRequest(port: number): fc.Arbitrary<RawRequestCase> {
  const resourceRequest = fc.tuple(method, resourceTarget).chain(([verb, target]) =>
    contentType(verb).chain((type) =>
      fc.record({
        verb: fc.constant(verb),
        path: fc.constant(target.path),
        type: fc.constant(type),
        body: bodyFor(verb, target, type),
      }),
    ),
  );
  const otherRequest = fc.record({
    verb: method,
    path: otherPath,
    type: fc.constant<string | undefined>(undefined),
    body: optionalBody,
  });
  const bombRequest = fc.record({
    verb: fc.constant('PATCH'),
    path: fc.constant(`/api/v1/namespaces/${BOMB_NAMESPACE}/configmaps/${BOMB_CONFIG_MAP}`),
    type: fc.constant<string | undefined>('application/json-patch+json'),
    body: copyBombBody.map((bomb): FuzzBody | undefined => bomb),
  });
  return fc
    .record({
      request: fc.oneof(
        { weight: 40, arbitrary: resourceRequest },
        { weight: 4, arbitrary: otherRequest },
        { weight: 1, arbitrary: bombRequest },
      ),
      query,
      absoluteForm: fc.oneof(
        { weight: 30, arbitrary: fc.constant('') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(`http://127.0.0.1:${port}`, 'http://evil.example', 'https://localhost'),
        },
      ),
      host: hostHeader(port),
      accept,
      extra: fc.array(extraHeader(port), { maxLength: 4 }),
    })
    .map(({ request, query: search, absoluteForm, host, accept: acceptValue, extra }) => {
      const body = request.body?.bytes;
      // CR and LF would end a field early and frame the request differently: the headers family sends those.
      const field = (name: string, value: string): HeaderField => [name, value.replace(/[\r\n]/g, '')];
      const headers: HeaderField[] = [
        ...host,
        ...(acceptValue === undefined ? [] : [field('Accept', acceptValue)]),
        ...(request.type === undefined ? [] : [field('Content-Type', request.type)]),
        ...extra.map(([name, value]) => field(String(name), String(value))),
        ...(body ? [['Content-Length', String(body.length)] as HeaderField] : []),
      ];
      return {
        family: 'api',
        label: `${request.verb} ${request.body?.label ?? 'without body'}`,
        bytes: encodeRequest({
          method: request.verb,
          target: `${absoluteForm}${request.path}${search}`,
          headers,
          body,
        }),
        ownConnection: false,
        head: request.verb === 'HEAD',
        incomplete: false,
      };
    });
}
