import type { Instance } from '@aws-sdk/client-ec2';
import { toInstanceInfo } from '../../../lib/cloud/ec2/instance-info';

function anInstance(overrides: Partial<Instance> = {}): Instance {
  return {
    InstanceId: 'i-0abc',
    InstanceType: 'm5.large',
    State: { Name: 'running', Code: 16 },
    Placement: { AvailabilityZone: 'us-east-1b' },
    LaunchTime: new Date('2026-11-30T12:00:00Z'),
    Tags: [
      { Key: 'skiff.dev/cluster', Value: 'prod' },
      { Key: 'skiff.dev/nodepool', Value: 'default' },
      { Key: 'skiff.dev/nodeclaim', Value: 'uid-1' },
    ],
    ...overrides,
  };
}

describe('an EC2 instance as the NodeProvider lists it', () => {
  it('carries its claim, pool, state, type, capacity type, zone and launch time', () => {
    expect(toInstanceInfo(anInstance({ InstanceLifecycle: 'spot' }))).toEqual({
      instanceId: 'i-0abc',
      claimUid: 'uid-1',
      poolName: 'default',
      state: 'running',
      instanceType: 'm5.large',
      capacityType: 'spot',
      zone: 'us-east-1b',
      launchTime: new Date('2026-11-30T12:00:00Z'),
    });
    expect(toInstanceInfo(anInstance())?.capacityType).toBe('on-demand');
  });

  it('leaves out terminated instances, which EC2 keeps listing for a while', () => {
    expect(toInstanceInfo(anInstance({ State: { Name: 'terminated', Code: 48 } }))).toBeUndefined();
    expect(toInstanceInfo(anInstance({ State: { Name: 'shutting-down', Code: 32 } }))?.state).toBe(
      'shutting-down',
    );
  });
});
