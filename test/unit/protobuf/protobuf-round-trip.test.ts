import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { decodeObject, encodeObject } from '../../../lib/api/protobuf/envelope';
import { messageForKind } from '../../../lib/api/protobuf/kube-schema';
import { decodeObject as decodeKind } from '../../../lib/kinds/decode';
import { apiVersionOf } from '../../../lib/kinds/kind-info';
import { findKindByKind, KINDS } from '../../../lib/kinds/registry';
import { PROJECT_ROOT } from '../../support/engines/project-root';
import { kubeJson } from '../../support/protobuf/kube-object-arbitrary';

const RUNS = Number(process.env.SKIFF_PROTOBUF_RUNS ?? 100);

/** Every built-in kind Skiff serves, its list, and the meta kinds and subresource bodies of the API. */
const KINDS_IN_PROTOBUF = [
  ...KINDS.flatMap((kind) => [
    [apiVersionOf(kind), kind.kind],
    [apiVersionOf(kind), `${kind.kind}List`],
  ]),
  ['v1', 'Status'],
  ['v1', 'DeleteOptions'],
  ['v1', 'Binding'],
  ['policy/v1', 'Eviction'],
  ['autoscaling/v1', 'Scale'],
].filter(([apiVersion, kind]) => messageForKind(apiVersion, kind) !== undefined);

const roundTrip = (object: Record<string, unknown>) => {
  const bytes = encodeObject(object);
  if (!bytes) throw new Error(`${String(object.kind)} has no protobuf message`);
  return decodeObject(bytes);
};

describe('protobuf round trip: JSON -> protobuf -> JSON is the identity', () => {
  it('covers every built-in kind Skiff serves', () => {
    const served = KINDS_IN_PROTOBUF.map(([, kind]) => kind);
    for (const kind of [
      'Namespace',
      'Pod',
      'Node',
      'ConfigMap',
      'Event',
      'Deployment',
      'ReplicaSet',
      'Job',
      'Lease',
    ])
      expect(served).toContain(kind);
    // Custom resources (karpenter.sh, skiff.dev) are JSON only, as CRDs are in kube.
    expect(messageForKind('karpenter.sh/v1', 'NodePool')).toBeUndefined();
  });

  it.each(KINDS_IN_PROTOBUF)('%s %s: objects drawn from kube schema', (apiVersion, kind) => {
    const type = messageForKind(apiVersion, kind)!;
    fc.assert(
      fc.property(kubeJson(type), (fields) => {
        const object = { apiVersion, kind, ...fields };
        expect(roundTrip(object)).toEqual(object);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps an IntOrString of 0 under an omitempty field, which Go never leaves out (fast-check seed -232913706)', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'zero' },
      spec: { ports: [{ port: 80, targetPort: 0 }] },
    };
    expect(roundTrip(service)).toEqual(service);
  });

  it('keeps the examples, as written and as Skiff stores them (defaults applied)', () => {
    const dir = join(PROJECT_ROOT, 'examples');
    let checked = 0;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const manifest = document.toJS() as Record<string, unknown> | null;
        if (!manifest || !messageForKind(String(manifest.apiVersion), String(manifest.kind))) continue;
        expect(roundTrip(manifest)).toEqual(manifest);
        const info = findKindByKind(String(manifest.apiVersion), String(manifest.kind));
        if (!info) continue;
        // The namespace comes from the path, as the API sets it before decoding.
        const written = structuredClone(manifest) as { metadata: Record<string, unknown> };
        if (info.namespaced) written.metadata.namespace ??= 'default';
        const stored = decodeKind(info, written).object as unknown as Record<string, unknown>;
        expect(roundTrip(stored)).toEqual(stored);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
