import { PodDisruptionBudgetKind, type PodDisruptionBudget } from '../../../lib/kinds/pod-disruption-budget';
import { decoded, invalidLines } from './decode-helpers';

const aBudget = (spec: Record<string, unknown>) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec,
});

describe('PodDisruptionBudget', () => {
  it('keeps minAvailable or maxUnavailable as an integer or a percentage, and sets no defaults', () => {
    const budget = decoded<PodDisruptionBudget>(
      PodDisruptionBudgetKind,
      aBudget({ minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }),
    );
    expect(budget.spec).toEqual({ minAvailable: '50%', selector: { matchLabels: { app: 'web' } } });
    expect(decoded<PodDisruptionBudget>(PodDisruptionBudgetKind, aBudget({})).spec).toEqual({});
  });

  it('refuses both minAvailable and maxUnavailable, as kube does', () => {
    expect(invalidLines(PodDisruptionBudgetKind, aBudget({ minAvailable: 1, maxUnavailable: 1 }))).toEqual([
      'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0x0), Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0x0), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
    ]);
  });

  it.each([
    [{ minAvailable: -1 }, 'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
    [{ maxUnavailable: '150%' }, 'spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    [
      { minAvailable: 'half' },
      "spec.minAvailable: Invalid value: \"half\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ],
    [
      { unhealthyPodEvictionPolicy: 'Never' },
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ],
    [
      { selector: { matchExpressions: [{ key: 'app', operator: 'Is' }] } },
      'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
    ],
  ])('refuses %j', (spec, line) => {
    expect(invalidLines(PodDisruptionBudgetKind, aBudget(spec))).toEqual([line]);
  });

  it('refuses a negative count in its status, as policy/v1 status writes are checked', () => {
    expect(
      invalidLines(PodDisruptionBudgetKind, { ...aBudget({}), status: { disruptionsAllowed: -1 } }),
    ).toEqual(['status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0']);
  });
});
