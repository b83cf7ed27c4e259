import { NodeClaimKind, type NodeClaim } from '../../../lib/kinds/node-claim';
import { aNodeClaim } from './capacity-builders';
import { decoded, invalidLines } from './decode-helpers';

describe('NodeClaim', () => {
  it('defaults to on-demand capacity that expires after 30 days', () => {
    const claim = decoded<NodeClaim>(NodeClaimKind, aNodeClaim());
    expect(claim.spec).toEqual({
      nodePool: 'general',
      instanceType: 't4g.medium',
      capacityType: 'on-demand',
      expireAfter: '720h',
    });
  });

  it('keeps the decision: price, reason, the pods it was made for, and the lifecycle the provider reports', () => {
    const spec = {
      capacityType: 'spot' as const,
      zone: 'us-east-1a',
      usdPerHour: '0.0101',
      reason: '2 pending pods need 1500m cpu',
      pods: [{ namespace: 'default', name: 'web-0' }],
      requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['t4g.medium'] }],
      taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' as const }],
    };
    const status = {
      providerID: 'aws:///us-east-1a/i-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      nodeName: 'ip-10-0-1-23.ec2.internal',
      capacity: { cpu: '2', memory: '4096Mi' },
      allocatable: { cpu: '1930m', memory: '3584Mi' },
      conditions: [
        {
          type: 'Launched',
          status: 'True' as const,
          lastTransitionTime: '2026-11-20T10:00:00Z',
          reason: 'Launched',
        },
        { type: 'Ready', status: 'Unknown' as const },
      ],
      decision: {
        action: 'Launch',
        reason: 'Unschedulable',
        message: 'cheapest instance type that fits 2 pending pods',
        usdPerHour: '0.0101',
        savingsUsdPerHour: '0.0315',
        time: '2026-11-20T10:00:00Z',
      },
    };
    const claim = decoded<NodeClaim>(NodeClaimKind, { ...aNodeClaim(spec), status });
    expect(claim.spec).toMatchObject(spec);
    expect(claim.status).toEqual({
      ...status,
      capacity: { cpu: '2', memory: '4Gi' },
      allocatable: { cpu: '1930m', memory: '3584Mi' },
    });
    expect(NodeClaimKind.fieldSelectors['spec.nodePool'](claim)).toBe('general');
    expect(NodeClaimKind.fieldSelectors['status.nodeName'](claim)).toBe('ip-10-0-1-23.ec2.internal');
  });

  it.each([
    ['no instance type', aNodeClaim({ instanceType: undefined }), ['spec.instanceType: Required value']],
    [
      'a capacity type Skiff cannot launch',
      aNodeClaim({ capacityType: 'reserved' as never }),
      ['spec.capacityType: Unsupported value: "reserved": supported values: "on-demand", "spot"'],
    ],
    [
      'a price that is not a decimal string',
      aNodeClaim({ usdPerHour: '1e-2' }),
      [
        'spec.usdPerHour: Invalid value: "1e-2": must be a non-negative decimal number of dollars, e.g. "0.0416"',
      ],
    ],
    [
      'a pool name that is not a name',
      aNodeClaim({ nodePool: 'General Pool' }),
      [
        `spec.nodePool: Invalid value: "General Pool": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'a pod without a name',
      aNodeClaim({ pods: [{ namespace: 'default' } as never] }),
      ['spec.pods[0].name: Required value'],
    ],
    [
      'a condition status that is not True, False or Unknown',
      { ...aNodeClaim(), status: { conditions: [{ type: 'Ready', status: 'Yes' }] } },
      ['status.conditions[0].status: Unsupported value: "Yes": supported values: "True", "False", "Unknown"'],
    ],
  ])('refuses %s', (_case, manifest, lines) => {
    expect(invalidLines(NodeClaimKind, manifest)).toEqual(lines);
  });
});
