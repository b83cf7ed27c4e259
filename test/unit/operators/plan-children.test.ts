import type { KubeObject } from '../../../lib/kinds/meta';
import { InvalidChildError, planChildren, type ChildKind } from '../../../lib/operators/plan-children';
import { LAST_APPLIED, threeWayMerge } from '../../../lib/operators/three-way-merge';

const configMaps: ChildKind = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  updateMethod: 'InPlace',
};
const parent: KubeObject = {
  apiVersion: 'web.skiff.dev/v1alpha1',
  kind: 'StaticSite',
  metadata: { name: 'site', namespace: 'web', uid: 'parent-uid' },
};
const ownerRef = {
  apiVersion: 'web.skiff.dev/v1alpha1',
  kind: 'StaticSite',
  name: 'site',
  uid: 'parent-uid',
  controller: true,
  blockOwnerDeletion: true,
};

function configMap(
  name: string,
  data: Record<string, string>,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data } as KubeObject;
}

/** A child as a previous sync stored it: placed, owned, with what was applied. */
function stored(desired: KubeObject, server: Record<string, unknown> = {}): KubeObject {
  const [create] = planChildren(parent, [configMaps], [], [desired]);
  return {
    ...create.object,
    ...server,
    metadata: { ...create.object.metadata, uid: 'child-uid', resourceVersion: '7' },
  };
}

describe('planChildren', () => {
  test('a missing child is created in the parent namespace with a controller reference and what was applied', () => {
    const desired = configMap('files', { a: '1' });
    expect(planChildren(parent, [configMaps], [], [desired])).toEqual([
      {
        type: 'create',
        kind: configMaps,
        object: {
          ...desired,
          metadata: {
            name: 'files',
            namespace: 'web',
            annotations: { [LAST_APPLIED]: JSON.stringify(desired) },
            ownerReferences: [ownerRef],
          },
        },
      },
    ]);
  });

  test('a child equal to its desired state is left alone, even with fields the server added', () => {
    const desired = configMap('files', { a: '1' });
    const current = stored(desired, { immutable: false });
    expect(planChildren(parent, [configMaps], [{ kind: configMaps, object: current }], [desired])).toEqual(
      [],
    );
  });

  test('a changed child is updated over what is stored, keeping its resourceVersion and server fields', () => {
    const current = stored(configMap('files', { a: '1', b: '2' }), { immutable: false });
    const [action] = planChildren(
      parent,
      [configMaps],
      [{ kind: configMaps, object: current }],
      [configMap('files', { a: '3' })],
    );
    expect(action.type).toBe('update');
    expect(action.object).toMatchObject({
      data: { a: '3' },
      immutable: false,
      metadata: { resourceVersion: '7', uid: 'child-uid' },
    });
    // `b` was applied last time and is no longer desired: removed, not kept.
    expect((action.object as unknown as { data: object }).data).toEqual({ a: '3' });
  });

  test('Recreate deletes a changed child and OnDelete leaves it', () => {
    const current = stored(configMap('files', { a: '1' }));
    const observed = [{ kind: configMaps, object: current }];
    const changed = [configMap('files', { a: '2' })];
    expect(planChildren(parent, [{ ...configMaps, updateMethod: 'Recreate' }], observed, changed)).toEqual([
      { type: 'delete', kind: { ...configMaps, updateMethod: 'Recreate' }, object: current },
    ]);
    expect(planChildren(parent, [{ ...configMaps, updateMethod: 'OnDelete' }], observed, changed)).toEqual(
      [],
    );
  });

  test('a child the answer no longer names is deleted, unless it is already being deleted', () => {
    const current = stored(configMap('old', { a: '1' }));
    expect(planChildren(parent, [configMaps], [{ kind: configMaps, object: current }], [])).toEqual([
      { type: 'delete', kind: configMaps, object: current },
    ]);
    const going = {
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: '2026-12-01T00:00:00Z' },
    };
    expect(planChildren(parent, [configMaps], [{ kind: configMaps, object: going }], [])).toEqual([]);
  });

  test.each([
    [
      'an undeclared kind',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
      /not among the operator's childResources/,
    ],
    [
      'another namespace',
      configMap('files', {}, { namespace: 'other' }),
      /must be in its parent's namespace web, not other/,
    ],
  ])('an answer with %s is refused', (_, child, message) => {
    expect(() => planChildren(parent, [configMaps], [], [child as KubeObject])).toThrow(InvalidChildError);
    expect(() => planChildren(parent, [configMaps], [], [child as KubeObject])).toThrow(message);
  });

  test('an answer naming one child twice is refused', () => {
    expect(() => planChildren(parent, [configMaps], [], [configMap('a', {}), configMap('a', {})])).toThrow(
      'twice',
    );
  });
});

describe('threeWayMerge', () => {
  test('desired wins, server fields stay, fields dropped since the last apply go', () => {
    expect(
      threeWayMerge({ a: 1, b: { c: 2, d: 3 }, s: 9 }, { a: 1, b: { c: 2, d: 3 } }, { a: 2, b: { c: 2 } }),
    ).toEqual({
      a: 2,
      b: { c: 2 },
      s: 9,
    });
  });

  test('arrays are replaced whole', () => {
    expect(threeWayMerge({ list: [1, 2, 3] }, {}, { list: [4] })).toEqual({ list: [4] });
  });
});

describe('threeWayMerge of named lists', () => {
  test('items merge by name, keeping what the server defaulted in them', () => {
    const observed = { containers: [{ name: 'web', image: 'a', imagePullPolicy: 'IfNotPresent' }] };
    expect(
      threeWayMerge(
        observed,
        { containers: [{ name: 'web', image: 'a' }] },
        { containers: [{ name: 'web', image: 'b' }] },
      ),
    ).toEqual({
      containers: [{ name: 'web', image: 'b', imagePullPolicy: 'IfNotPresent' }],
    });
  });

  test('an item applied last time and no longer desired goes; one someone else added stays', () => {
    const observed = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
        { name: 'INJECTED', value: 'x' },
      ],
    };
    const last = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    };
    expect(threeWayMerge(observed, last, { env: [{ name: 'A', value: '1' }] })).toEqual({
      env: [
        { name: 'A', value: '1' },
        { name: 'INJECTED', value: 'x' },
      ],
    });
  });
});
