import { kubernetesCelEnvironment } from '../../../lib/crd/schema/cel-kube-library';

/** Kubernetes' IP and CIDR CEL libraries, against the examples in their Go doc comments. */
const env = kubernetesCelEnvironment();

function evaluate(expression: string): unknown {
  return env.parse(expression)({});
}

describe("Kubernetes' IP and CIDR CEL libraries", () => {
  it.each([
    ["isIP('127.0.0.1')", true],
    ["isIP('::1')", true],
    ["isIP('2001:db8::abcd')", true],
    ["isIP('1.2.3')", false],
    ["isIP('127.0.0.256')", false],
    ["isIP('01.2.3.4')", false],
    ["isIP('::ffff:1.2.3.4')", false],
    ["isIP('fe80::1%eth0')", false],
    ["isIP('example.com')", false],
    ["ip('127.0.0.1').family() == 4", true],
    ["ip('::1').family() == 6", true],
    ["string(ip('2001:DB8:0:0:0:0:0:1')) == '2001:db8::1'", true],
    ["ip('127.0.0.1') == ip('127.0.0.1')", true],
    ["ip('0.0.0.0').isUnspecified()", true],
    ["ip('::').isUnspecified()", true],
    ["ip('127.0.0.1').isLoopback()", true],
    ["ip('::1').isLoopback()", true],
    ["ip('224.0.0.1').isLinkLocalMulticast()", true],
    ["ip('ff02::1').isLinkLocalMulticast()", true],
    ["ip('169.254.169.254').isLinkLocalUnicast()", true],
    ["ip('fe80::1').isLinkLocalUnicast()", true],
    ["ip('192.168.0.1').isGlobalUnicast()", true],
    ["ip('255.255.255.255').isGlobalUnicast()", false],
    ["ip('2001:db8::1').isGlobalUnicast()", true],
    ["isCIDR('192.168.0.0/16')", true],
    ["isCIDR('192.168.0.0/33')", false],
    ["isCIDR('::1/128')", true],
    ["isCIDR('192.168.0.0')", false],
    ["cidr('192.168.0.0/16').containsIP(ip('192.168.1.7'))", true],
    ["cidr('192.168.0.0/16').containsIP('192.169.0.1')", false],
    ["cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", true],
    ["cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/16'))", false],
    ["cidr('2001:db8::/32').containsIP('2001:db8::1')", true],
    ["cidr('192.168.0.0/16').prefixLength() == 16", true],
    ["cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')", true],
    ["string(cidr('192.168.1.5/24').ip()) == '192.168.1.5'", true],
    ["string(cidr('2001:db8::1/64').masked()) == '2001:db8::/64'", true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  it.each([
    ["ip('::ffff:1.2.3.4').family() == 6", 'IPv4-mapped IPv6 address is not allowed'],
    ["ip('fe80::1%eth0').family() == 6", 'IP address with zone value is not allowed'],
    ["cidr('10.0.0.0/40').prefixLength() == 40", 'bad bits after slash'],
  ])('%s fails with "%s"', (expression, message) => {
    expect(() => evaluate(expression)).toThrow(message);
  });
});
