import {
  InstanceIdentityError,
  nodeIdentityOf,
  type InstanceFacts,
} from '../../../lib/agent/ec2/instance-identity';
import { NODEPOOL_TAG } from '../../../lib/cloud/node-provider';

function someFacts(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    instanceId: 'i-0abc',
    zone: 'eu-west-1a',
    instanceType: 'c7g.xlarge',
    lifecycle: 'on-demand',
    localIpv4: '10.1.2.3',
    localHostname: 'ip-10-1-2-3.eu-west-1.compute.internal',
    tags: { Name: 'default-abcde', [NODEPOOL_TAG]: 'default' },
    arch: 'arm64',
    ...overrides,
  };
}

describe('The Node identity of an EC2 instance', () => {
  it('is named after the NodeClaim in the Name tag, with the claim-style providerID', () => {
    expect(nodeIdentityOf(someFacts())).toEqual({
      nodeName: 'default-abcde',
      providerID: 'aws:///eu-west-1a/i-0abc',
      zone: 'eu-west-1a',
      instanceType: 'c7g.xlarge',
      capacityType: 'on-demand',
      nodePool: 'default',
      internalIP: '10.1.2.3',
      hostname: 'ip-10-1-2-3.eu-west-1.compute.internal',
      architecture: 'arm64',
    });
  });

  it.each([
    ['spot', 'spot'],
    ['on-demand', 'on-demand'],
    ['capacity-block', 'on-demand'],
    [undefined, 'on-demand'],
  ])('takes instance-life-cycle %s as capacity type %s', (lifecycle, capacityType) => {
    expect(nodeIdentityOf(someFacts({ lifecycle })).capacityType).toBe(capacityType);
  });

  it.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
  ])("reports the agent's %s CPU as Kubernetes' %s", (arch, architecture) => {
    expect(nodeIdentityOf(someFacts({ arch })).architecture).toBe(architecture);
  });

  it('refuses a CPU Kubernetes nodes here do not run on', () => {
    expect(() => nodeIdentityOf(someFacts({ arch: 'ia32' }))).toThrow(InstanceIdentityError);
  });

  it('leaves the pool out when the instance has no pool tag', () => {
    expect(nodeIdentityOf(someFacts({ tags: { Name: 'default-abcde' } }))).not.toHaveProperty('nodePool');
  });

  it.each([[{}], [{ Name: '  ' }]])('refuses an instance whose Name tag is missing or blank (%j)', (tags) => {
    expect(() => nodeIdentityOf(someFacts({ tags }))).toThrow(
      "instance i-0abc has no Name tag (its NodeClaim's name)",
    );
  });
});
