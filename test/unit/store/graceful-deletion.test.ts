import type { KubeObject } from '../../../lib/kinds/meta';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { PodKind } from '../../../lib/kinds/pod';
import { graceDecision } from '../../../lib/store/graceful-deletion';

const NOW = new Date('2026-01-01T12:00:00Z');

function aPod(options: {
  nodeName?: string;
  phase?: string;
  terminationGracePeriodSeconds?: number;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
}): KubeObject {
  const { nodeName, phase, terminationGracePeriodSeconds, ...deletion } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', ...deletion },
    spec: { nodeName, terminationGracePeriodSeconds: terminationGracePeriodSeconds ?? 30 },
    status: { phase: phase ?? 'Running' },
  };
}

const marked = (seconds: number, at = NOW) => ({
  action: 'graceful',
  deletionTimestamp: new Date(at.getTime() + seconds * 1000).toISOString().replace('.000', ''),
  deletionGracePeriodSeconds: seconds,
});

describe("A delete's grace period (kube's CheckGracefulDelete and BeforeDelete)", () => {
  it.each([
    [
      'a pod on a node gets its terminationGracePeriodSeconds',
      aPod({ nodeName: 'a' }),
      undefined,
      marked(30),
    ],
    ['the caller’s gracePeriodSeconds wins', aPod({ nodeName: 'a' }), 5, marked(5)],
    ['a negative gracePeriodSeconds counts as 1', aPod({ nodeName: 'a' }), -3, marked(1)],
    ['an unbound pod gets none', aPod({}), 30, marked(0)],
    ['a succeeded pod gets none', aPod({ nodeName: 'a', phase: 'Succeeded' }), undefined, marked(0)],
    ['a failed pod gets none', aPod({ nodeName: 'a', phase: 'Failed' }), 10, marked(0)],
    [
      'a pod with terminationGracePeriodSeconds 0 gets none',
      aPod({ nodeName: 'a', terminationGracePeriodSeconds: 0 }),
      undefined,
      marked(0),
    ],
  ])('%s', (_, pod, requested, expected) => {
    expect(graceDecision(PodKind, pod, requested, NOW)).toEqual(expected);
  });

  const deleting = aPod({
    nodeName: 'a',
    deletionTimestamp: '2026-01-01T12:01:00Z',
    deletionGracePeriodSeconds: 60,
  });

  it.each([
    ['without a grace, a deletion under way is left as it is', undefined, { action: 'pending' }],
    ['a longer grace is not taken', 90, { action: 'pending' }],
    ['the same grace is not taken', 60, { action: 'pending' }],
    ['a shorter grace moves deletionTimestamp back by the difference', 20, marked(20)],
    ['grace 0 ends it now', 0, marked(0)],
  ])('%s', (_, requested, expected) => {
    expect(graceDecision(PodKind, deleting, requested, NOW)).toEqual(expected);
  });

  it('treats a marked object with no grace left as an ungraceful delete (finalizers decide)', () => {
    const held = aPod({
      nodeName: 'a',
      deletionTimestamp: '2026-01-01T12:00:00Z',
      deletionGracePeriodSeconds: 0,
    });
    expect(graceDecision(PodKind, held, 30, NOW)).toEqual({ action: 'ungraceful' });
  });

  it('ignores the grace for kinds not deleted gracefully', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    expect(graceDecision(ConfigMapKind, configMap, 30, NOW)).toEqual({ action: 'ungraceful' });
  });
});
