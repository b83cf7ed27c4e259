import {
  LoopbackIpAllocator,
  PodIpConflictError,
  PodIpsExhaustedError,
} from '../../../lib/agent/runtime/loopback-ip-allocator';

describe('the loopback pod IP allocator', () => {
  it('gives each pod its own address, lowest free first, and the same one again', () => {
    const ips = new LoopbackIpAllocator();
    expect(ips.allocate('a')).toBe('127.1.0.1');
    expect(ips.allocate('b')).toBe('127.1.0.2');
    expect(ips.allocate('a')).toBe('127.1.0.1');
    expect(ips.addressOf('b')).toBe('127.1.0.2');
  });

  it('frees an address on release and hands it to the next pod', () => {
    const ips = new LoopbackIpAllocator();
    ips.allocate('a');
    ips.allocate('b');
    ips.release('a');
    ips.release('never-allocated');
    expect(ips.addressOf('a')).toBeUndefined();
    expect(ips.allocate('c')).toBe('127.1.0.1');
  });

  it('never gives out 127.0.0.1 nor addresses ending in .0 or .255', () => {
    const ips = new LoopbackIpAllocator({ first: '127.0.0.0', last: '127.0.1.1' });
    const given = Array.from({ length: 254 }, (_, index) => ips.allocate(`pod-${index}`));
    expect(given[0]).toBe('127.0.0.2');
    expect(given).not.toContain('127.0.0.1');
    expect(given.at(-1)).toBe('127.0.1.1');
    expect(() => ips.allocate('one-too-many')).toThrow(PodIpsExhaustedError);
  });

  it('reserves the addresses a restarted agent finds, and allocates around them', () => {
    const ips = new LoopbackIpAllocator();
    ips.reserve('old', '127.1.0.1');
    ips.reserve('old', '127.1.0.1');
    expect(ips.allocate('new')).toBe('127.1.0.2');
    expect(() => ips.reserve('other', '127.1.0.1')).toThrow(PodIpConflictError);
    expect(() => ips.reserve('old', '127.1.0.9')).toThrow(/already holds 127.1.0.1/);
    expect(() => ips.reserve('x', '127.2.0.1')).toThrow(/outside/);
    expect(() => ips.reserve('x', '10.0.0.1')).toThrow(/not a loopback/);
  });

  it('keeps disjoint ranges apart, as agents sharing a host need', () => {
    const first = new LoopbackIpAllocator({ first: '127.1.0.1', last: '127.1.255.254' });
    const second = new LoopbackIpAllocator({ first: '127.2.0.1', last: '127.2.255.254' });
    expect(first.allocate('a')).not.toBe(second.allocate('a'));
  });
});
