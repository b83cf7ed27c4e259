import { staleDisruption } from '../../../../lib/controllers/disruption/stale-disruption';
import type { KubeObject } from '../../../../lib/kinds/meta';

const NOW = new Date('2026-01-01T00:10:00Z');
const aPod = (
  condition: Record<string, unknown> | undefined,
  extra: { phase?: string; deleting?: boolean } = {},
) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}) },
    status: { phase: extra.phase ?? 'Running', conditions: condition ? [condition] : [] },
  }) as KubeObject;
const mark = (fields: Record<string, unknown> = {}) => ({
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'EvictionByEvictionAPI',
  lastTransitionTime: '2026-01-01T00:09:00Z',
  ...fields,
});

describe('stale DisruptionTarget marks', () => {
  it.each([
    ['a fresh mark, stale in the rest of two minutes', aPod(mark()), { staleInSeconds: 60 }],
    [
      'a mark two minutes old, stale now',
      aPod(mark({ lastTransitionTime: '2026-01-01T00:07:00Z' })),
      { staleInSeconds: 0 },
    ],
    ['no mark', aPod(undefined), undefined],
    ['a False mark', aPod(mark({ status: 'False' })), undefined],
    ["the kubelet's own mark", aPod(mark({ reason: 'TerminationByKubelet' })), undefined],
    ['a pod being deleted', aPod(mark(), { deleting: true }), undefined],
    ['a finished pod', aPod(mark(), { phase: 'Failed' }), undefined],
  ])('%s', (_case, pod, expected) => {
    expect(staleDisruption(pod, NOW)).toEqual(expected);
  });
});
