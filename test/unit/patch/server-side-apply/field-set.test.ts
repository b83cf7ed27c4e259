import { DeploymentKind } from '../../../../lib/kinds/deployment';
import { applySchemaOf } from '../../../../lib/api/patch/server-side-apply/field-manager-scope';
import { fieldSetOf } from '../../../../lib/api/patch/server-side-apply/field-set-of';
import { FieldSet, InvalidFieldsError } from '../../../../lib/api/patch/server-side-apply/field-set';
import { pathString } from '../../../../lib/api/patch/server-side-apply/field-path';
import { InvalidApplyConfigurationError } from '../../../../lib/api/patch/server-side-apply/list-items';
import { mergeApplied } from '../../../../lib/api/patch/server-side-apply/merge-values';

const schema = applySchemaOf(DeploymentKind);

describe('Field sets in FieldsV1', () => {
  it('encodes what an applied Deployment sets as kube does: struct fields as paths, items and entries as members', () => {
    const config = {
      metadata: { labels: { app: 'web' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }],
          },
        },
      },
    };
    expect(fieldSetOf(config, schema).toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {
                  'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                },
              },
            },
          },
        },
      },
    });
  });

  it('owns set items by value and atomic lists whole', () => {
    const set = fieldSetOf(
      {
        metadata: { finalizers: ['example.com/a'] },
        spec: { template: { spec: { containers: [{ name: 'c', args: ['x', 'y'] }] } } },
      },
      schema,
    );
    expect(set.paths().map(pathString)).toEqual([
      '.metadata.finalizers[="example.com/a"]',
      '.spec.template.spec.containers[name="c"]',
      '.spec.template.spec.containers[name="c"].args',
      '.spec.template.spec.containers[name="c"].name',
    ]);
  });

  it('counts an empty struct as a member, and refuses a keyed item without its key', () => {
    expect(fieldSetOf({ spec: { strategy: {} } }, schema).toFieldsV1()).toEqual({
      'f:spec': { 'f:strategy': {} },
    });
    expect(() =>
      fieldSetOf({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, schema),
    ).toThrow(InvalidApplyConfigurationError);
  });

  it('owns selectors whole, as kube makes label and node selectors atomic', () => {
    const config = {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'web' }] } },
      },
    };
    expect(fieldSetOf(config, schema).toFieldsV1()).toEqual({
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:spec': {
            'f:nodeSelector': {},
            'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {} } },
          },
        },
      },
    });
    const live = { spec: { template: { spec: { nodeSelector: { disk: 'hdd', zone: 'a' } } } } };
    const merged = mergeApplied(
      live,
      { spec: { template: { spec: { nodeSelector: { disk: 'ssd' } } } } },
      schema,
    );
    expect(merged).toEqual({ spec: { template: { spec: { nodeSelector: { disk: 'ssd' } } } } });
  });

  it('reads back what it writes, and refuses what is not FieldsV1', () => {
    const json = { 'f:spec': { 'f:replicas': {}, 'f:template': { '.': {}, 'f:x': {} } } };
    const set = FieldSet.fromFieldsV1(json);
    expect(set.toFieldsV1()).toEqual(json);
    expect(set.has(['f:spec', 'f:template'])).toBe(true);
    expect(set.has(['f:spec'])).toBe(false);
    expect(() => FieldSet.fromFieldsV1({ spec: {} })).toThrow(InvalidFieldsError);
    expect(() => FieldSet.fromFieldsV1([])).toThrow(InvalidFieldsError);
  });

  it('combines sets member by member, and recursively for ignored subtrees', () => {
    const a = FieldSet.of(['f:a', 'f:b'], ['f:a', 'f:c'], ['f:d']);
    const b = FieldSet.of(['f:a', 'f:c'], ['f:e']);
    expect(a.intersection(b).paths()).toEqual([['f:a', 'f:c']]);
    expect(a.difference(b).paths()).toEqual([['f:a', 'f:b'], ['f:d']]);
    expect(a.union(b).paths()).toHaveLength(4);
    expect(a.recursiveDifference(FieldSet.of(['f:a'])).paths()).toEqual([['f:d']]);
  });

  it('prints paths as kube does in conflicts', () => {
    expect(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:name'])).toBe(
      '.spec.ports[port=80,protocol="TCP"].name',
    );
    expect(pathString(['f:spec', 'f:args', 'i:2'])).toBe('.spec.args[2]');
  });
});
