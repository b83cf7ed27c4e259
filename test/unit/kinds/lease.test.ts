import { LeaseKind, type Lease } from '../../../lib/kinds/lease';
import { aLease } from '../../support/builders';
import { decoded, invalidLines } from './decode-helpers';

describe('Lease', () => {
  it('keeps its holder and times', () => {
    const lease = decoded<Lease>(
      LeaseKind,
      aLease({ renewTime: '2024-05-01T12:00:00.123456Z', leaseTransitions: 2 }),
    );
    expect(lease.spec).toEqual({
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      renewTime: '2024-05-01T12:00:00.123456Z',
      leaseTransitions: 2,
    });
  });

  it('requires a positive duration and non-negative transitions', () => {
    expect(invalidLines(LeaseKind, aLease({ leaseDurationSeconds: 0, leaseTransitions: -1 }))).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});
