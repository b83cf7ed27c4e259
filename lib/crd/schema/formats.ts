import { isIPv4, isIPv6 } from 'node:net';

/**
 * The string formats kube-apiserver 1.32 checks in custom resources: kube-openapi's strfmt default
 * registry, restricted to the set apiextensions-apiserver keeps (pkg/apiserver/validation/
 * formats.go, the formats introduced at 1.0; k8s-short-name and k8s-long-name arrived in 1.34).
 * Any other format is ignored, as kube strips it before validating.
 *
 * Names are go-openapi's normalised names (dashes removed): `date-time` is `datetime`.
 * Each check follows the Go function strfmt registers (govalidator, net, time), closely enough
 * for the values people write; the differences are noted where they exist.
 */
export const KUBE_FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isRequestUri,
  email: isEmail,
  hostname: isHostname,
  ipv4: (s) => isSloppyIp(s) && s.includes('.'),
  ipv6: (s) => isSloppyIp(s) && s.includes(':'),
  cidr: isCidr,
  mac: isMac,
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid3: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid4: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  uuid5: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  isbn: (s) => isIsbn10(s) || isIsbn13(s),
  isbn10: isIsbn10,
  isbn13: isIsbn13,
  creditcard: isCreditCard,
  ssn: (s) => s.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => RGB_COLOR.test(s),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(s),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/** go-openapi's lookup key for a format name: `date-time` and `datetime` are one format. */
export function normalizeFormat(format: string): string {
  return format.replaceAll('-', '');
}

/** Whether kube-apiserver 1.32 validates `format` on strings (unknown formats are ignored). */
export function isKubeStringFormat(format: string): boolean {
  return Object.hasOwn(KUBE_FORMATS, normalizeFormat(format));
}

const OCTET = '(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])';
const RGB_COLOR = new RegExp(`^rgb\\(\\s*${OCTET}\\s*,\\s*${OCTET}\\s*,\\s*${OCTET}\\s*\\)$`);

/** net/url.ParseRequestURI: an absolute URI or an absolute path, no fragment parsing, no spaces. */
function isRequestUri(s: string): boolean {
  if (s === '' || /\s/.test(s) || [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return false;
  if (s.startsWith('/') || s === '*') return true;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s);
}

/** net/mail.ParseAddress, reduced to `local@domain` and `Name <local@domain>`. */
function isEmail(s: string): boolean {
  const angle = /^[^<>]*<([^<>]+)>$/.exec(s.trim());
  const address = angle ? angle[1] : s.trim();
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/.test(address);
}

const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;

/** strfmt.IsHostname: its pattern, at most 255 bytes, labels of at most 63 bytes. */
function isHostname(s: string): boolean {
  if (!HOSTNAME.test(s)) return false;
  if (Buffer.byteLength(s) > 255) return false;
  return s.split('.').every((label) => Buffer.byteLength(label) <= 63);
}

/** netutils.ParseIPSloppy: IPv4 octets may carry leading zeros. */
function isSloppyIp(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((o) => Number(o) <= 255);
  return isIPv6(s) && !s.includes('%');
}

/** netutils.ParseCIDRSloppy: an address and a prefix length that fits it. */
function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !isSloppyIp(ip)) return false;
  return Number(bits) <= (isIPv4(ip) || /^\d/.test(ip) ? 32 : 128);
}

/** net.ParseMAC: 6, 8 or 20 octets, separated by ':' or '-', or dotted groups of four hex digits. */
function isMac(s: string): boolean {
  const octets = [6, 8, 20];
  for (const separator of [':', '-']) {
    const parts = s.split(separator);
    if (octets.includes(parts.length) && parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return true;
  }
  const groups = s.split('.');
  return octets.includes(groups.length * 2) && groups.every((g) => /^[0-9a-fA-F]{4}$/.test(g));
}

const stripSpacesAndMinus = (s: string): string => s.replace(/[\s-]+/g, '');

function isIsbn10(s: string): boolean {
  const d = stripSpacesAndMinus(s);
  if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(d[i]);
  sum += 10 * (d[9] === 'X' ? 10 : Number(d[9]));
  return sum % 11 === 0;
}

function isIsbn13(s: string): boolean {
  const d = stripSpacesAndMinus(s);
  if (!/^[0-9]{13}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(d[i]);
  return Number(d[12]) === (10 - (sum % 10)) % 10;
}

const CREDIT_CARD =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$/;

/** govalidator.IsCreditCard: a known issuer's pattern and the Luhn checksum. */
function isCreditCard(s: string): boolean {
  const d = stripSpacesAndMinus(s);
  if (!CREDIT_CARD.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let digit = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** time.Parse("2006-01-02"): a real calendar day. */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** strfmt.IsDateTime: a full date, `t`, then hh:mm:ss[.frac] and `z` or an offset (any case). */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]);
  return m !== null && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

const GO_DURATION =
  /^[-+]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$/;
const DURATION_UNITS = [
  ['ns', 'nano'],
  ['us', 'µs', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
];

/** strfmt.ParseDuration: Go's time.ParseDuration, or `<n> <unit>` pairs (`3 days`, `1 hr`). */
function isDuration(s: string): boolean {
  if (s === '0' || GO_DURATION.test(s)) return true;
  for (const match of s.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)) {
    const unit = match[2].trim().toLowerCase();
    for (const variants of DURATION_UNITS) {
      const last = variants.length - 1;
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v === unit)) return true;
    }
  }
  return false;
}
