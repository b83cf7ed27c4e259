import fc from 'fast-check';
import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { applyConfiguration } from '../../../../lib/api/patch/server-side-apply/field-manager';
import { decodeManagedFields } from '../../../../lib/api/patch/server-side-apply/managed-fields';

const NOW = new Date('2026-12-01T06:00:00Z');
const scope = (manager: string) => ({ kind: ConfigMapKind, manager, now: NOW });

const keys = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const entries = fc.dictionary(keys, fc.constantFrom('1', '2'), { maxKeys: 5 });
const config = fc.record({ labels: entries, data: entries }).map(({ labels, data }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', labels },
  data,
}));

function apply(manager: string, live: KubeObject | undefined, applied: Record<string, unknown>) {
  const { object, managedFields } = applyConfiguration(scope(manager), live, applied, true);
  return { ...object, metadata: { ...(object.metadata as object), managedFields } } as KubeObject;
}

const ownedBy = (object: KubeObject, manager: string) =>
  [...(decodeManagedFields(object.metadata.managedFields)?.values() ?? [])].find(
    (e) => e.manager === manager,
  );

describe('Server-side apply properties', () => {
  it('re-applying a configuration changes nothing', () => {
    fc.assert(
      fc.property(config, config, (first, second) => {
        const live = apply('m', apply('m', undefined, first), second);
        expect(apply('m', live, second)).toEqual(live);
      }),
    );
  });

  it('after any history, the last applied data is exactly what one sole applier leaves', () => {
    fc.assert(
      fc.property(fc.array(config, { minLength: 1, maxLength: 4 }), (history) => {
        let live: KubeObject | undefined;
        for (const applied of history) live = apply('m', live, applied);
        const last = history[history.length - 1];
        expect(live?.data ?? {}).toEqual(last.data);
        expect(live?.metadata.labels ?? {}).toEqual(last.metadata.labels);
      }),
    );
  });

  it('keeps every field another applier still applies when one stops applying it', () => {
    fc.assert(
      fc.property(config, config, config, (mine, theirs, mineLater) => {
        let live = apply('mine', undefined, mine);
        live = apply('theirs', live, theirs);
        live = apply('mine', live, mineLater);
        for (const [key, value] of Object.entries(theirs.data)) {
          const expected = key in mineLater.data ? mineLater.data[key] : value;
          expect((live.data as Record<string, string>)[key]).toBe(expected);
        }
        const mineNow = ownedBy(live, 'mine');
        expect(mineNow === undefined || !mineNow.fields.isEmpty()).toBe(true);
      }),
    );
  });
});
