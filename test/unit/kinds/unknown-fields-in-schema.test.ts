import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { decodeObject } from '../../../lib/kinds/decode';
import { dropNulls } from '../../../lib/kinds/drop-nulls';
import { StrictDecodingError } from '../../../lib/kinds/errors';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import { findUnknownFields, findUnknownFieldsInSchema } from '../../../lib/kinds/unknown-fields';
import { aDeployment } from '../../support/builders';

const EXAMPLES = join(__dirname, '../../../examples');
const SHARED = join(__dirname, '../../../../shared/data/manifests');

/** Every document of the built-in kinds in examples/ and ../shared/data/manifests. */
function manifests(): [string, KubeObject][] {
  const files = [
    ...readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(EXAMPLES, f)),
    ...readdirSync(SHARED, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(SHARED, f)),
  ];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((doc) => doc.toJS() as KubeObject | null)
      .filter((doc): doc is KubeObject => !!doc && !!findKindByKind(doc.apiVersion, doc.kind))
      .map((doc): [string, KubeObject] => [
        `${file.split('/').slice(-2).join('/')} ${doc.kind}/${doc.metadata?.name}`,
        doc,
      ]),
  );
}

/** The manifest with unknown fields at the top, in its metadata and in its spec. */
function withStrangers(manifest: KubeObject): KubeObject {
  const spec =
    manifest.spec && typeof manifest.spec === 'object' ? { ...manifest.spec, bogusSpecField: 1 } : undefined;
  return {
    ...manifest,
    bogusTop: true,
    metadata: { ...manifest.metadata, bogusMeta: 'x' } as KubeObject['metadata'],
    ...(spec ? { spec } : {}),
  };
}

describe('unknown fields found from the schema alone', () => {
  it.each(manifests())('%s: the same fields as comparing with the decoded object', (_, manifest) => {
    const kind = findKindByKind(manifest.apiVersion, manifest.kind);
    if (!kind || kind.decode) return;
    // As decodeObject reads a body: nulls are unset fields; a namespaced object gets its route's namespace.
    const namespace = kind.namespaced ? { namespace: manifest.metadata?.namespace ?? 'default' } : {};
    const input = dropNulls(withStrangers({ ...manifest, metadata: { ...manifest.metadata, ...namespace } }));
    const { object } = decodeObject(kind, input, { fieldValidation: 'Ignore' });
    expect(findUnknownFieldsInSchema(input, kind.schema).sort()).toEqual(
      findUnknownFields(input, object).sort(),
    );
  });

  it('refuses a Strict write with an unknown field and an invalid value as unknown fields (400), as kube does', () => {
    const kind = findKindByKind('apps/v1', 'Deployment');
    if (!kind) throw new Error('Deployment is registered');
    const manifest = {
      ...aDeployment({ name: 'web' }),
      spec: { ...aDeployment().spec, replicas: -1, replica: 3 },
    };
    expect(() => decodeObject(kind, manifest, { fieldValidation: 'Strict' })).toThrow(StrictDecodingError);
    expect(() => decodeObject(kind, manifest, { fieldValidation: 'Strict' })).toThrow(
      'unknown field "spec.replica"',
    );
    expect(() => decodeObject(kind, manifest, { fieldValidation: 'Warn' })).toThrow(
      'spec.replicas: Invalid value: -1',
    );
  });
});
