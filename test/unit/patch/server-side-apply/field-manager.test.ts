import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import { DeploymentKind } from '../../../../lib/kinds/deployment';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { applyConfiguration, recordUpdate } from '../../../../lib/api/patch/server-side-apply/field-manager';
import {
  applySchemaOf,
  type FieldManagerScope,
} from '../../../../lib/api/patch/server-side-apply/field-manager-scope';
import { ApplyConflictError } from '../../../../lib/api/patch/server-side-apply/apply-conflict-error';
import { mergeApplied } from '../../../../lib/api/patch/server-side-apply/merge-values';
import {
  capUpdateManagers,
  decodeManagedFields,
} from '../../../../lib/api/patch/server-side-apply/managed-fields';
import { FieldSet } from '../../../../lib/api/patch/server-side-apply/field-set';

const NOW = new Date('2026-12-01T06:00:00Z');
const deployments = (manager: string): FieldManagerScope => ({ kind: DeploymentKind, manager, now: NOW });
const configMaps = (manager: string): FieldManagerScope => ({ kind: ConfigMapKind, manager, now: NOW });

const aConfigMap = (data: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'default', resourceVersion: '5' },
  data,
  ...extra,
});

/** Applies and stores the result, as the API does: the object with its managedFields. */
function apply(
  scope: FieldManagerScope,
  live: KubeObject | undefined,
  config: Record<string, unknown>,
  force = false,
) {
  const { object, managedFields } = applyConfiguration(scope, live, config, force);
  return { ...object, metadata: { ...(object.metadata as object), managedFields } } as KubeObject;
}

const cmConfig = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data,
});

describe('Server-side apply', () => {
  it('creates from the configuration and makes the applier own exactly what it set', () => {
    const created = apply(configMaps('ci'), undefined, cmConfig({ a: '1' }));
    expect(created.data).toEqual({ a: '1' });
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'ci',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-12-01T06:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      },
    ]);
  });

  it('leaves an unchanged re-apply as it was, time included', () => {
    const created = apply(configMaps('ci'), undefined, cmConfig({ a: '1' }));
    const later = { ...configMaps('ci'), now: new Date('2026-12-01T07:00:00Z') };
    expect(apply(later, created, cmConfig({ a: '1' }))).toEqual(created);
  });

  it('removes what the applier stops applying, unless another manager owns it', () => {
    let live = apply(configMaps('ci'), undefined, cmConfig({ a: '1', b: '2', c: '3' }));
    live = apply(configMaps('other'), live, cmConfig({ c: '3' }));
    live = apply(configMaps('ci'), live, cmConfig({ a: '1' }));
    expect(live.data).toEqual({ a: '1', c: '3' });
    const owners = decodeManagedFields(live.metadata.managedFields);
    const owned = [...(owners?.values() ?? [])].map((entry) => [entry.manager, entry.fields.paths().length]);
    expect(owned.sort()).toEqual([
      ['ci', 1],
      ['other', 1],
    ]);
  });

  it('answers a change to a field another manager owns with a conflict naming both', () => {
    const live = apply(deployments('kubectl'), undefined, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2 },
    });
    const change = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 5 },
    };
    let thrown: unknown;
    try {
      applyConfiguration(deployments('other'), live, change, false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApplyConflictError);
    expect((thrown as ApplyConflictError).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    );
    expect((thrown as ApplyConflictError).causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' },
    ]);
    const forced = apply(deployments('other'), live, change, true);
    expect((forced.spec as { replicas: number }).replicas).toBe(5);
    expect(forced.metadata.managedFields?.map((entry) => entry.manager)).toEqual(['other']);
  });

  it('shares a field two appliers set to the same value, without conflict', () => {
    let live = apply(configMaps('a'), undefined, cmConfig({ shared: 'x' }));
    live = apply(configMaps('b'), live, cmConfig({ shared: 'x' }));
    // b's apply changed nothing, so its entry has no time and sorts first, as upstream's does.
    expect(live.metadata.managedFields?.map((entry) => entry.manager)).toEqual(['b', 'a']);
    live = apply(configMaps('a'), live, cmConfig({}));
    expect(live.data).toEqual({ shared: 'x' });
  });

  it('conflicts with an Update manager, printed with its apiVersion', () => {
    const created = aConfigMap({ a: '1' });
    created.metadata.managedFields = recordUpdate(configMaps('kubectl-create'), undefined, created);
    expect(() => applyConfiguration(configMaps('ci'), created, cmConfig({ a: '2' }), false)).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .data.a',
    );
  });

  it('gives the fields of an object with no managedFields to before-first-apply', () => {
    expect(() =>
      applyConfiguration(configMaps('ci'), aConfigMap({ a: '1' }), cmConfig({ a: '2' }), false),
    ).toThrow('conflict with "before-first-apply" using v1: .data.a');
  });

  it('removes a struct the applier stops applying as a whole, keeping what another manager owns in it', () => {
    const withStrategy = (strategy?: Record<string, unknown>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 1, ...(strategy ? { strategy } : {}) },
    });
    let live = apply(
      deployments('ci'),
      undefined,
      withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }),
    );
    expect(apply(deployments('ci'), live, withStrategy()).spec).toEqual({ replicas: 1 });
    live = apply(deployments('ops'), live, withStrategy({ rollingUpdate: { maxUnavailable: 0 } }));
    expect(apply(deployments('ci'), live, withStrategy()).spec).toEqual({
      replicas: 1,
      strategy: { rollingUpdate: { maxUnavailable: 0 } },
    });
  });

  it('merges containers by name and ports by containerPort and protocol', () => {
    const schema = applySchemaOf(DeploymentKind);
    const live = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'a',
                image: 'a:1',
                ports: [
                  { containerPort: 80, protocol: 'TCP' },
                  { containerPort: 53, protocol: 'UDP' },
                ],
              },
              { name: 'b', image: 'b:1' },
            ],
          },
        },
      },
    };
    const config = {
      spec: {
        template: {
          spec: { containers: [{ name: 'a', image: 'a:2', ports: [{ containerPort: 80, name: 'http' }] }] },
        },
      },
    };
    expect(mergeApplied(live, config, schema)).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'a',
                image: 'a:2',
                ports: [
                  { containerPort: 80, protocol: 'TCP', name: 'http' },
                  { containerPort: 53, protocol: 'UDP' },
                ],
              },
              { name: 'b', image: 'b:1' },
            ],
          },
        },
      },
    });
  });
});

describe('Update managers', () => {
  it('own what a write adds or changes, and lose what another write changes', () => {
    const created = aConfigMap({ a: '1' });
    created.metadata.managedFields = recordUpdate(configMaps('kubectl-create'), undefined, created);
    const edited = aConfigMap({ a: '2', b: '1' });
    edited.metadata.managedFields = created.metadata.managedFields;
    const managed = recordUpdate(configMaps('kubectl-edit'), created, edited);
    // kubectl-create keeps the data map it brought (`f:data` itself), as in kube.
    expect(managed.map((entry) => [entry.manager, entry.fieldsV1])).toEqual([
      ['kubectl-create', { 'f:data': {} }],
      ['kubectl-edit', { 'f:data': { 'f:a': {}, 'f:b': {} } }],
    ]);
  });

  it('record nothing for a write that changes nothing', () => {
    const created = aConfigMap({ a: '1' });
    expect(recordUpdate(configMaps('x'), created, aConfigMap({ a: '1' }))).toEqual([]);
  });

  it('are capped at ten, the oldest merged into ancient-changes', () => {
    const managers = new Map(
      Array.from({ length: 12 }, (_, i) => {
        const entry = {
          manager: `m${i}`,
          operation: 'Update' as const,
          apiVersion: 'v1',
          time: `2026-12-01T06:00:${String(i).padStart(2, '0')}Z`,
          fields: FieldSet.of(['f:data', `f:k${i}`]),
        };
        return [JSON.stringify([i]), entry];
      }),
    );
    const capped = capUpdateManagers(managers);
    expect(capped.size).toBe(10);
    const ancient = [...capped.values()].find((entry) => entry.manager === 'ancient-changes');
    expect(ancient?.fields.paths()).toHaveLength(3);
  });
});
