import { NodeKind, type Node } from '../../../lib/kinds/node';
import { aNode } from '../../support/builders';
import { decoded, invalidLines } from './decode-helpers';

describe('Node', () => {
  it('can allocate its whole capacity unless it says otherwise', () => {
    const node = decoded<Node>(NodeKind, aNode({ capacity: { cpu: '2', memory: '4096Mi' } }));
    expect(node.status.allocatable).toEqual({ cpu: '2', memory: '4Gi' });
    const reserved = decoded<Node>(
      NodeKind,
      aNode({ capacity: { cpu: '2' }, allocatable: { cpu: '1900m' } }),
    );
    expect(reserved.status.allocatable).toEqual({ cpu: '1900m' });
  });

  it('keeps spec fields the scheduler reads', () => {
    const node = decoded<Node>(
      NodeKind,
      aNode({
        providerID: 'aws:///eu-west-1a/i-0abc',
        unschedulable: true,
        taints: [{ key: 'skiff.dev/disrupted', effect: 'NoSchedule' }],
      }),
    );
    expect(node.spec).toEqual({
      providerID: 'aws:///eu-west-1a/i-0abc',
      unschedulable: true,
      taints: [{ key: 'skiff.dev/disrupted', effect: 'NoSchedule' }],
    });
    expect(NodeKind.fieldSelectors['spec.unschedulable'](node)).toBe('true');
  });

  it('defaults the system info fields it serialises even when empty', () => {
    const node = decoded<Node>(NodeKind, aNode({ status: { nodeInfo: { architecture: 'arm64' } } }));
    expect(node.status.nodeInfo).toMatchObject({
      architecture: 'arm64',
      kubeletVersion: '',
      operatingSystem: '',
    });
  });

  it('validates taints', () => {
    expect(invalidLines(NodeKind, aNode({ taints: [{ key: 'a', effect: 'Sometimes' as never }] }))).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
});
