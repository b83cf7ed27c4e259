/** Thrown when every address of the allocator's range is taken. */
export class PodIpsExhaustedError extends Error {
  constructor(range: LoopbackRange) {
    super(`no free pod IP left in ${range.first}-${range.last}`);
    this.name = 'PodIpsExhaustedError';
  }
}

/** Thrown by `reserve` for an address outside the range or held by another pod. */
export class PodIpConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PodIpConflictError';
  }
}

/** An inclusive range of loopback addresses, e.g. `127.1.0.1`-`127.1.255.254`. */
export interface LoopbackRange {
  first: string;
  last: string;
}

/**
 * The default range: 127.1.0.0/16 less its network and broadcast-looking ends. It stays clear of
 * 127.0.0.0/24, where the host's own services listen (127.0.0.1, systemd-resolved's 127.0.0.53).
 */
export const DEFAULT_POD_IP_RANGE: LoopbackRange = { first: '127.1.0.1', last: '127.1.255.254' };

/**
 * Gives every pod of a node its own loopback address as podIP, so replicas that bind `$(POD_IP)`
 * with the same port never collide. Linux routes all of 127.0.0.0/8 to `lo`, so any such address
 * can be bound without configuring anything. An address is the pod's for its whole life
 * (`allocate` answers the same one again) and free again once `release`d; the lowest free address
 * goes first, so the same sequence of pods gets the same addresses. Nothing is persisted: an agent
 * restarting `reserve`s the addresses its running pods already report. Agents sharing one host
 * (the local cluster) take disjoint ranges.
 */
export class LoopbackIpAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly byPod = new Map<string, number>();
  private readonly byIp = new Map<number, string>();

  constructor(private readonly range: LoopbackRange = DEFAULT_POD_IP_RANGE) {
    this.first = loopbackNumber(range.first);
    this.last = loopbackNumber(range.last);
    if (this.first > this.last) throw new Error(`pod IP range ${range.first}-${range.last} is empty`);
  }

  /** The pod's address: the one it holds, else the lowest free one. */
  allocate(podUid: string): string {
    const held = this.byPod.get(podUid);
    if (held !== undefined) return dotted(held);
    for (let ip = this.first; ip <= this.last; ip++) {
      if (!usable(ip) || this.byIp.has(ip)) continue;
      this.hold(podUid, ip);
      return dotted(ip);
    }
    throw new PodIpsExhaustedError(this.range);
  }

  /** Gives a pod the address it already has (found at restart). Idempotent for the same pod. */
  reserve(podUid: string, address: string): void {
    const ip = loopbackNumber(address);
    if (ip < this.first || ip > this.last || !usable(ip)) {
      throw new PodIpConflictError(`${address} is outside ${this.range.first}-${this.range.last}`);
    }
    const holder = this.byIp.get(ip);
    if (holder !== undefined && holder !== podUid)
      throw new PodIpConflictError(`${address} is held by pod ${holder}`);
    const held = this.byPod.get(podUid);
    if (held !== undefined && held !== ip)
      throw new PodIpConflictError(`pod ${podUid} already holds ${dotted(held)}`);
    this.hold(podUid, ip);
  }

  /** Frees the pod's address; a pod without one is fine. */
  release(podUid: string): void {
    const ip = this.byPod.get(podUid);
    if (ip === undefined) return;
    this.byPod.delete(podUid);
    this.byIp.delete(ip);
  }

  /** The pod's address, if it has one. */
  addressOf(podUid: string): string | undefined {
    const ip = this.byPod.get(podUid);
    return ip === undefined ? undefined : dotted(ip);
  }

  private hold(podUid: string, ip: number): void {
    this.byPod.set(podUid, ip);
    this.byIp.set(ip, podUid);
  }
}

/** 127.0.0.1: the host's own loopback address, never a pod's. */
const HOST_LOOPBACK = 0x7f000001;

/** 127.0.0.1 is the host's own; an address ending in .0 or .255 confuses tools that assume a /24. */
function usable(ip: number): boolean {
  const lastOctet = ip & 0xff;
  return ip !== HOST_LOOPBACK && lastOctet !== 0 && lastOctet !== 255;
}

/** A 127.x.y.z address as a number; throws for anything else. */
function loopbackNumber(address: string): number {
  const octets = address.split('.').map((octet) => (/^\d{1,3}$/.test(octet) ? Number(octet) : NaN));
  if (octets.length !== 4 || octets.some((octet) => !(octet <= 255)) || octets[0] !== 127) {
    throw new PodIpConflictError(`${address} is not a loopback address (127.0.0.0/8)`);
  }
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

function dotted(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff].join('.');
}
