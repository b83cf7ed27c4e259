import { isIPv4, isIPv6 } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';

/**
 * Kubernetes' IP and CIDR CEL libraries (k8s.io/apiserver pkg/cel/library ip.go and cidr.go), as
 * Gateway API's TLSRoute calls them (`self.all(h, !isIP(h))`): addresses parse as Go's
 * netip.ParseAddr parses them, refusing IPv4-mapped IPv6 addresses and zones as kube does.
 */
export function registerIpLibrary(env: Environment, fail: (message: string) => Error): void {
  const ipOf = (text: string) => {
    const problem = addressProblem(text);
    if (problem)
      throw fail(`IP Address ${JSON.stringify(text)} parse error during conversion from string: ${problem}`);
    return new IpValue(bytesOf(text));
  };
  const cidrOf = (text: string) => {
    const problem = prefixProblem(text);
    if (problem) throw fail(`network address parse error during conversion from string: ${problem}`);
    const [address, length] = text.split('/');
    return new CidrValue(new IpValue(bytesOf(address)), Number(length));
  };
  env.registerType('IP', IpValue);
  env.registerType('CIDR', CidrValue);
  env.registerFunction('ip(string): IP', ipOf);
  env.registerFunction('isIP(string): bool', (text: string) => addressProblem(text) === undefined);
  env.registerFunction('string(IP): string', (ip: IpValue) => ip.toString());
  env.registerFunction('IP.family(): int', (ip: IpValue) => (ip.bytes.length === 4 ? 4n : 6n));
  env.registerFunction('IP.isUnspecified(): bool', (ip: IpValue) => ip.bytes.every((b) => b === 0));
  env.registerFunction('IP.isLoopback(): bool', (ip: IpValue) => isLoopback(ip.bytes));
  env.registerFunction('IP.isLinkLocalMulticast(): bool', (ip: IpValue) => isLinkLocalMulticast(ip.bytes));
  env.registerFunction('IP.isLinkLocalUnicast(): bool', (ip: IpValue) => isLinkLocalUnicast(ip.bytes));
  env.registerFunction('IP.isGlobalUnicast(): bool', (ip: IpValue) => isGlobalUnicast(ip.bytes));
  env.registerOperator('IP == IP', (a: IpValue, b: IpValue) => a.toString() === b.toString());

  env.registerFunction('cidr(string): CIDR', cidrOf);
  env.registerFunction('isCIDR(string): bool', (text: string) => prefixProblem(text) === undefined);
  env.registerFunction('string(CIDR): string', (cidr: CidrValue) => cidr.toString());
  env.registerFunction('CIDR.ip(): IP', (cidr: CidrValue) => cidr.ip);
  env.registerFunction('CIDR.prefixLength(): int', (cidr: CidrValue) => BigInt(cidr.length));
  env.registerFunction('CIDR.masked(): CIDR', (cidr: CidrValue) => cidr.masked());
  env.registerFunction('CIDR.containsIP(IP): bool', (cidr: CidrValue, ip: IpValue) =>
    cidr.contains(ip.bytes),
  );
  env.registerFunction('CIDR.containsIP(string): bool', (cidr: CidrValue, text: string) =>
    cidr.contains(ipOf(text).bytes),
  );
  env.registerFunction(
    'CIDR.containsCIDR(CIDR): bool',
    (cidr: CidrValue, other: CidrValue) => other.length >= cidr.length && cidr.contains(other.ip.bytes),
  );
  env.registerFunction('CIDR.containsCIDR(string): bool', (cidr: CidrValue, text: string) => {
    const other = cidrOf(text);
    return other.length >= cidr.length && cidr.contains(other.ip.bytes);
  });
  env.registerOperator('CIDR == CIDR', (a: CidrValue, b: CidrValue) => a.toString() === b.toString());
}

/** An address as kube's IP type holds it: 4 bytes for IPv4, 16 for IPv6. */
export class IpValue {
  constructor(readonly bytes: Uint8Array) {}

  /** Go's netip.Addr.String(): dotted IPv4, RFC 5952 IPv6 (lower case, longest zero run as ::). */
  toString(): string {
    if (this.bytes.length === 4) return [...this.bytes].join('.');
    return new URL(`http://[${groupsOf(this.bytes).join(':')}]`).hostname.slice(1, -1);
  }
}

/** A prefix as kube's CIDR type holds it: the address as written and the prefix length. */
export class CidrValue {
  constructor(
    readonly ip: IpValue,
    readonly length: number,
  ) {}

  contains(bytes: Uint8Array): boolean {
    if (bytes.length !== this.ip.bytes.length) return false;
    for (let bit = 0; bit < this.length; bit++) {
      const mask = 0x80 >> (bit % 8);
      if ((bytes[bit >> 3] & mask) !== (this.ip.bytes[bit >> 3] & mask)) return false;
    }
    return true;
  }

  masked(): CidrValue {
    const bytes = this.ip.bytes.map((byte, i) => {
      const kept = Math.max(0, Math.min(8, this.length - i * 8));
      return byte & ((0xff << (8 - kept)) & 0xff);
    });
    return new CidrValue(new IpValue(bytes), this.length);
  }

  toString(): string {
    return `${this.ip.toString()}/${this.length}`;
  }
}

/** Why Go's netip.ParseAddr, as kube's `ip()` uses it, refuses `text`, or undefined. */
function addressProblem(text: string): string | undefined {
  if (text.includes('%')) return 'IP address with zone value is not allowed';
  if (!isIPv4(text) && !isIPv6(text)) return `ParseAddr(${JSON.stringify(text)}): unable to parse IP`;
  const bytes = bytesOf(text);
  if (
    bytes.length === 16 &&
    bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  )
    return 'IPv4-mapped IPv6 address is not allowed';
  return undefined;
}

function prefixProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return `netip.ParsePrefix(${JSON.stringify(text)}): no '/'`;
  const address = text.slice(0, slash);
  const length = text.slice(slash + 1);
  const problem = addressProblem(address);
  if (problem) return problem;
  const bits = isIPv4(address) ? 32 : 128;
  if (!/^(0|[1-9][0-9]*)$/.test(length) || Number(length) > bits)
    return `netip.ParsePrefix(${JSON.stringify(text)}): bad bits after slash: ${JSON.stringify(length)}`;
  return undefined;
}

/** The bytes of an address Node's isIP accepts. */
function bytesOf(text: string): Uint8Array {
  if (isIPv4(text)) return Uint8Array.from(text.split('.').map(Number));
  let source = text;
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (embedded) {
    const [a, b, c, d] = embedded[1].split('.').map(Number);
    source = `${source.slice(0, -embedded[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = source.includes('::') ? source.split('::') : [source, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups].map((g) =>
    parseInt(g, 16),
  );
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

function groupsOf(bytes: Uint8Array): string[] {
  return Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] << 8) | bytes[i * 2 + 1]).toString(16));
}

function isLoopback(b: Uint8Array): boolean {
  return b.length === 4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
}

function isLinkLocalMulticast(b: Uint8Array): boolean {
  return b.length === 4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1] & 0x0f) === 0x02;
}

function isLinkLocalUnicast(b: Uint8Array): boolean {
  return b.length === 4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
}

function isMulticast(b: Uint8Array): boolean {
  return b.length === 4 ? (b[0] & 0xf0) === 0xe0 : b[0] === 0xff;
}

/** Go's netip.Addr.IsGlobalUnicast: none of the special ranges above, nor IPv4's broadcast. */
function isGlobalUnicast(b: Uint8Array): boolean {
  if (b.every((x) => x === 0) || isLoopback(b) || isMulticast(b) || isLinkLocalUnicast(b)) return false;
  return !(b.length === 4 && b.every((x) => x === 255));
}
