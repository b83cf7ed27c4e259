import { NodePoolKind, type NodePool } from '../../../lib/kinds/node-pool';
import { aNodePool } from './capacity-builders';
import { decoded, invalidLines } from './decode-helpers';

const withRequirement = (requirement: object) =>
  aNodePool({ template: { spec: { requirements: [requirement as never] } } });
const REQUIREMENT = 'spec.template.spec.requirements[0]';

describe('NodePool', () => {
  it("takes Karpenter's defaults: consolidate when empty or underutilized at once, 10% at a time, expire after 30 days", () => {
    const pool = decoded<NodePool>(NodePoolKind, aNodePool());
    expect(pool.spec).toEqual({
      template: { spec: { requirements: [], expireAfter: '720h' } },
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '0s',
        budgets: [{ nodes: '10%' }],
      },
    });
    expect(pool.status).toEqual({});
  });

  it('keeps what it is given: labels, taints, requirements, limits, weight, disruption and warm capacity', () => {
    const spec = {
      template: {
        metadata: { labels: { team: 'web' } },
        spec: {
          taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' as const }],
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
            { key: 'skiff.dev/instance-memory', operator: 'Gt', values: ['2047'] },
            { key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['us-east-1e'] },
            { key: 'skiff.dev/instance-gpu-count', operator: 'DoesNotExist' },
            { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['a', 'b'], minValues: 2 },
          ],
          expireAfter: 'Never',
        },
      },
      limits: { cpu: '64', memory: '262144Mi', nodes: '10', 'skiff.dev/usd-per-hour': '12.50' },
      weight: 50,
      disruption: {
        consolidationPolicy: 'WhenEmpty' as const,
        consolidateAfter: '1h30m',
        budgets: [
          { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized' as const] },
        ],
      },
      warm: { minNodes: 1, minCapacity: { cpu: '2', memory: '4096Mi' } },
    };
    const pool = decoded<NodePool>(NodePoolKind, aNodePool(spec));
    expect(pool.spec).toEqual({
      ...spec,
      limits: { cpu: '64', memory: '256Gi', nodes: '10', 'skiff.dev/usd-per-hour': '12.50' },
      warm: { minNodes: 1, minCapacity: { cpu: '2', memory: '4Gi' } },
    });
  });

  it('defaults a budget to 10% of the nodes', () => {
    const pool = decoded<NodePool>(NodePoolKind, aNodePool({ disruption: { budgets: [{}] } }));
    expect(pool.spec.disruption.budgets).toEqual([{ nodes: '10%' }]);
  });

  it.each([
    [
      'an operator kube does not know',
      withRequirement({ key: 'kubernetes.io/arch', operator: 'Is', values: ['arm64'] }),
      [
        `${REQUIREMENT}.operator: Unsupported value: "Is": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`,
      ],
    ],
    [
      'In without values',
      withRequirement({ key: 'kubernetes.io/arch', operator: 'In' }),
      [`${REQUIREMENT}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`],
    ],
    [
      'Exists with values',
      withRequirement({ key: 'skiff.dev/instance-gpu-count', operator: 'Exists', values: ['1'] }),
      [
        `${REQUIREMENT}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      ],
    ],
    [
      'Gt with a value that is not a whole number',
      withRequirement({ key: 'skiff.dev/instance-cpu', operator: 'Gt', values: ['1.5'] }),
      [
        `${REQUIREMENT}.values: Invalid value: ["1.5"]: must be a single non-negative integer when \`operator\` is 'Gt' or 'Lt'`,
      ],
    ],
    [
      'Lt over a label that is not a number',
      withRequirement({ key: 'skiff.dev/instance-family', operator: 'Lt', values: ['5'] }),
      [`${REQUIREMENT}.operator: Invalid value: "Lt": skiff.dev/instance-family is not a numeric label`],
    ],
    [
      'a capacity type Skiff cannot launch',
      withRequirement({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['reserved'] }),
      [`${REQUIREMENT}.values[0]: Unsupported value: "reserved": supported values: "on-demand", "spot"`],
    ],
    [
      'a key that is not a label name',
      withRequirement({ key: 'bad key', operator: 'Exists' }),
      [
        `${REQUIREMENT}.key: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      'a label Karpenter sets itself',
      withRequirement({ key: 'kubernetes.io/hostname', operator: 'Exists' }),
      [`${REQUIREMENT}.key: Invalid value: "kubernetes.io/hostname": label is restricted`],
    ],
    [
      'minValues above the values of an In',
      withRequirement({
        key: 'node.kubernetes.io/instance-type',
        operator: 'In',
        values: ['a'],
        minValues: 2,
      }),
      [`${REQUIREMENT}.minValues: Invalid value: 2: must be at most the number of values (1)`],
    ],
    [
      'a weight over 100',
      aNodePool({ weight: 101 }),
      ['spec.weight: Invalid value: 101: must be less than or equal to 100'],
    ],
    [
      'a policy Karpenter does not have',
      aNodePool({ disruption: { consolidationPolicy: 'WhenUnderutilized' as never } }),
      [
        'spec.disruption.consolidationPolicy: Unsupported value: "WhenUnderutilized": supported values: "WhenEmpty", "WhenEmptyOrUnderutilized"',
      ],
    ],
    [
      'a duration with a space',
      aNodePool({ disruption: { consolidateAfter: '5 min' } }),
      [
        'spec.disruption.consolidateAfter: Invalid value: "5 min": must be a duration such as 30s, 5m or 720h, or Never',
      ],
    ],
    [
      'an expiry in days',
      aNodePool({ template: { spec: { expireAfter: '30d' } } }),
      [
        'spec.template.spec.expireAfter: Invalid value: "30d": must be a duration such as 30s, 5m or 720h, or Never',
      ],
    ],
    [
      'a budget over 100%',
      aNodePool({ disruption: { budgets: [{ nodes: '150%' }] } }),
      [
        'spec.disruption.budgets[0].nodes: Invalid value: "150%": must be a whole number of nodes or a percentage from 0% to 100%',
      ],
    ],
    [
      'a schedule without a duration',
      aNodePool({ disruption: { budgets: [{ nodes: '0', schedule: '@daily' }] } }),
      ["spec.disruption.budgets[0].duration: Required value: must be set with 'schedule'"],
    ],
    [
      'a schedule that is not cron, and a window in seconds',
      aNodePool({ disruption: { budgets: [{ nodes: '0', schedule: 'every day', duration: '30s' }] } }),
      [
        'spec.disruption.budgets[0].schedule: Invalid value: "every day": must be a cron expression of 5 fields or a macro such as @daily',
        'spec.disruption.budgets[0].duration: Invalid value: "30s": must be a duration such as 10m, 8h or 1h30m',
      ],
    ],
    [
      'limits that are not quantities or dollars',
      aNodePool({ limits: { cpu: 'lots', memory: '-1Gi', 'skiff.dev/usd-per-hour': '$5' } }),
      [
        'spec.limits[cpu]: Invalid value: "lots": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
        'spec.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
        'spec.limits[skiff.dev/usd-per-hour]: Invalid value: "$5": must be a non-negative decimal number of dollars, e.g. "12.50"',
      ],
    ],
    [
      'a taint with an effect kube does not have',
      aNodePool({ template: { spec: { taints: [{ key: 'dedicated', effect: 'Never' as never }] } } }),
      [
        'spec.template.spec.taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      'negative warm capacity',
      aNodePool({ warm: { minNodes: -1, minCapacity: { cpu: '-1' } } }),
      [
        'spec.warm.minNodes: Invalid value: -1: must be greater than or equal to 0',
        'spec.warm.minCapacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      ],
    ],
  ])('refuses %s, naming the field as kube-apiserver would', (_case, manifest, lines) => {
    expect(invalidLines(NodePoolKind, manifest)).toEqual(lines);
  });
});
