import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../../lib/cli/cli-error';
import { loadManifests, manifestFiles, parseManifests } from '../../../lib/cli/manifests';

const names = (manifests: { object: { metadata: { name?: string } } }[]) =>
  manifests.map((m) => m.object.metadata.name);

describe('skiff manifests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-manifests-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every document of a multi-document YAML file, skipping empty ones', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
      '',
      '# only a comment',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b',
    ].join('\n---\n');
    const manifests = parseManifests(text, 'app.yaml');
    expect(names(manifests)).toEqual(['a', 'b']);
    expect(manifests[1].object.kind).toBe('Deployment');
    expect(manifests[1].source).toBe('app.yaml (document 4)');
  });

  it('reads JSON, and opens a List into its items (what get -o yaml prints)', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2' } },
      ],
    };
    expect(names(parseManifests(JSON.stringify(list), 'list.json'))).toEqual(['p1', 'p2']);
  });

  it('refuses a document without apiVersion and kind, or without a name, saying where it is', () => {
    expect(() => parseManifests('metadata: {name: x}', 'bad.yaml')).toThrow(
      'bad.yaml: apiVersion and kind must be set',
    );
    expect(() => parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {}', 'noname.yaml')).toThrow(
      /noname.yaml: metadata.name/,
    );
    expect(() => parseManifests('- a\n- b', 'list.yaml')).toThrow(CliError);
    expect(() => parseManifests('a: [unclosed', 'broken.yaml')).toThrow(/broken.yaml: document 1/);
  });

  it('walks folders recursively in name order, taking only .yaml, .yml and .json files', () => {
    mkdirSync(join(dir, 'b-nested/deeper'), { recursive: true });
    const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
    writeFileSync(join(dir, 'z.yaml'), doc('z'));
    writeFileSync(join(dir, 'a.yml'), doc('a'));
    writeFileSync(
      join(dir, 'b-nested/deeper/c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
    );
    writeFileSync(join(dir, 'README.md'), '# not a manifest');
    expect(manifestFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual([
      'a.yml',
      'b-nested/deeper/c.json',
      'z.yaml',
    ]);
    expect(names(loadManifests([dir]))).toEqual(['a', 'c', 'z']);
  });

  it('reads - from stdin, in order with the files given beside it', () => {
    writeFileSync(join(dir, 'one.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-file}\n');
    const stdin = () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-stdin}\n';
    const manifests = loadManifests(['-', join(dir, 'one.yaml')], stdin);
    expect(names(manifests)).toEqual(['from-stdin', 'from-file']);
    expect(manifests[0].source).toBe('stdin');
  });

  it('says which path does not exist', () => {
    expect(() => loadManifests([join(dir, 'missing.yaml')])).toThrow(/missing.yaml" does not exist/);
  });
});
