import { planNamespaceDeletion } from '../../../../lib/controllers/namespace/plan-namespace-deletion';
import { ConfigMapKind } from '../../../../lib/kinds/config-map';
import type { KubeObject } from '../../../../lib/kinds/meta';

const DELETED = '2026-01-01T00:00:00Z';

function namespace(options: { deleting?: boolean; phase?: string; finalizers?: string[] } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-a', ...(options.deleting ? { deletionTimestamp: DELETED } : {}) },
    spec: { finalizers: options.finalizers ?? ['kubernetes'] },
    status: { phase: options.phase ?? 'Active' },
  };
}

const configMap = (name: string, deleting = false) => ({
  kind: ConfigMapKind,
  object: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'team-a', ...(deleting ? { deletionTimestamp: DELETED } : {}) },
  },
});

describe('planNamespaceDeletion', () => {
  it.each([
    {
      case: 'a namespace not being deleted needs nothing',
      ns: namespace(),
      contents: [configMap('a')],
      expected: { markTerminating: false, deleted: [], finalize: false, requeue: undefined },
    },
    {
      case: 'a deleted namespace is marked Terminating and its contents deleted',
      ns: namespace({ deleting: true }),
      contents: [configMap('a'), configMap('b')],
      expected: { markTerminating: true, deleted: ['a', 'b'], finalize: false, requeue: 5 },
    },
    {
      case: 'contents already marked are waited for, not deleted again',
      ns: namespace({ deleting: true, phase: 'Terminating' }),
      contents: [configMap('a', true)],
      expected: { markTerminating: false, deleted: [], finalize: false, requeue: 5 },
    },
    {
      case: 'an empty deleted namespace loses its kubernetes finalizer',
      ns: namespace({ deleting: true, phase: 'Terminating' }),
      contents: [],
      expected: { markTerminating: false, deleted: [], finalize: true, requeue: undefined },
    },
    {
      case: 'an empty namespace already finalized needs nothing more',
      ns: namespace({ deleting: true, phase: 'Terminating', finalizers: ['example.com/other'] }),
      contents: [],
      expected: { markTerminating: false, deleted: [], finalize: false, requeue: undefined },
    },
  ])('$case', ({ ns, contents, expected }) => {
    const plan = planNamespaceDeletion(ns, contents);
    expect({
      markTerminating: plan.markTerminating,
      deleted: plan.delete.map((c) => c.object.metadata.name),
      finalize: plan.finalize,
      requeue: plan.requeueAfterSeconds,
    }).toEqual(expected);
  });

  it('does nothing for a namespace that is gone', () => {
    expect(planNamespaceDeletion(undefined, []).finalize).toBe(false);
  });
});
