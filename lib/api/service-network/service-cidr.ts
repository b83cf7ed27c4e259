import { isIPv4 } from 'node:net';

/** kube-apiserver's default --service-cluster-ip-range. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

/** The node port range kube-apiserver serves by default (--service-node-port-range). */
export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

/** A service CIDR that cannot be used: not IPv4 CIDR notation, or too small to hold a Service. */
export class InvalidServiceCidrError extends Error {}

/**
 * The IPv4 range ClusterIPs come from. Offsets count from the network address; the network and
 * broadcast addresses are never handed out, as kube's allocator skips them.
 */
export interface ServiceCidr {
  /** As configured, e.g. `10.96.0.0/12`. */
  text: string;
  /** Addresses in the range, network and broadcast included. */
  size: number;
  /** The address at `offset` (1 .. size-2). */
  ipAt(offset: number): string;
  /** The offset of `ip` when it is an allocatable address of the range, else undefined. */
  offsetOf(ip: string): number | undefined;
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * Parses `a.b.c.d/n` (n from 8 to 30). Host bits are masked, as kube masks them.
 * @example parseServiceCidr('10.96.0.0/12').ipAt(10) // '10.96.0.10'
 */
export function parseServiceCidr(text: string): ServiceCidr {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match || !isIPv4(match[1]))
    throw new InvalidServiceCidrError(`${text} is not an IPv4 CIDR such as ${DEFAULT_SERVICE_CIDR}`);
  const prefix = Number(match[2]);
  if (prefix < 8 || prefix > 30)
    throw new InvalidServiceCidrError(`${text} must have a prefix length from 8 to 30`);
  const size = 2 ** (32 - prefix);
  const base = toNumber(match[1]) - (toNumber(match[1]) % size);
  return {
    text: `${toIp(base)}/${prefix}`,
    size,
    ipAt: (offset) => toIp(base + offset),
    offsetOf(ip) {
      if (!isIPv4(ip)) return undefined;
      const offset = toNumber(ip) - base;
      return offset >= 1 && offset <= size - 2 ? offset : undefined;
    },
  };
}

/**
 * kube's calculateRangeOffset: the first `offset` values of a range are kept for values users ask
 * for; dynamic allocation takes from above it first, so a fixed address someone plans to use
 * rarely collides with a random one.
 */
export function staticBandSize(size: number): number {
  if (size < 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}
