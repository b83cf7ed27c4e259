import { Environment } from '@marcbachmann/cel-js';
import { formatQuantity, InvalidQuantityError, parseQuantity, type Quantity } from '../../kinds/quantity';
import { registerIpLibrary } from './cel-ip-library';
import { goRegExpOf } from './go-regexp';

/**
 * The CEL environment CRD rules run in: CEL's standard library as @marcbachmann/cel-js has it
 * (strings' lowerAscii, split, join and the like included), with optional types for
 * `optionalOldSelf`, plus the parts of Kubernetes' own libraries (k8s.io/apiserver pkg/cel/library)
 * that CRD authors reach for, with kube's semantics and error texts:
 *
 * - lists: `isSorted()`, `sum()`, `min()`, `max()`, `indexOf(x)`, `lastIndexOf(x)`;
 * - regex: `find(re)`, `findAll(re)`, `findAll(re, n)`;
 * - strings (cel-go's extension, version 2): `charAt(i)`, `replace(a, b)`, `replace(a, b, n)`,
 *   `strings.quote(s)`;
 * - quantity: `quantity(s)`, `isQuantity(s)`, `sign()`, `isInteger()`, `asInteger()`,
 *   `asApproximateFloat()`, `add()`, `sub()`, `isLessThan()`, `isGreaterThan()`, `compareTo()`;
 * - URLs: `url(s)`, `isURL(s)`, `getScheme()`, `getHost()`, `getHostname()`, `getPort()`,
 *   `getEscapedPath()`, `getQuery()`.
 *
 * - IP and CIDR (./cel-ip-library.ts): `ip(s)`, `isIP(s)`, `family()`, `isLoopback()`, ...,
 *   `cidr(s)`, `isCIDR(s)`, `containsIP()`, `containsCIDR()`, `masked()`, `prefixLength()`.
 *
 * The semver, format and authorizer libraries are not here: a rule calling them fails to
 * parse, and kube's answer for that (a compile error) is what the caller reports.
 */
export function kubernetesCelEnvironment(): Environment {
  const env = new Environment({
    unlistedVariablesAreDyn: true,
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
  });
  registerLists(env);
  registerRegex(env);
  registerStrings(env);
  registerQuantity(env);
  registerUrls(env);
  registerIpLibrary(env, (message) => new CelLibraryError(message));
  return env;
}

/** An error a library function raises, with cel-go's text (the evaluator prefixes nothing). */
export class CelLibraryError extends Error {}

type Comparable = bigint | number | string | boolean | Date;

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new CelLibraryError('no such overload');
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof QuantityValue && b instanceof QuantityValue) return a.quantity.nanos === b.quantity.nanos;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  return JSON.stringify(a, bigintJson) === JSON.stringify(b, bigintJson);
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

function registerLists(env: Environment): void {
  env.registerFunction('list<A>.isSorted(): bool', (list: Comparable[]) =>
    list.every((item, i) => i === 0 || compare(list[i - 1], item) <= 0),
  );
  env.registerFunction('list<A>.sum(): A', (list: unknown[]) => {
    if (list.length === 0) return 0n;
    let total: unknown = list[0];
    for (const item of list.slice(1)) {
      if (typeof total === 'bigint' && typeof item === 'bigint') total = total + item;
      else if (typeof total === 'number' && typeof item === 'number') total = total + item;
      else throw new CelLibraryError('no such overload');
    }
    return total;
  });
  const extreme = (name: 'min' | 'max', prefer: number) => (list: Comparable[]) => {
    if (list.length === 0) throw new CelLibraryError(`${name} called on empty list`);
    return list.reduce((best, item) => (compare(best, item) === prefer ? item : best));
  };
  env.registerFunction('list<A>.min(): A', extreme('min', 1));
  env.registerFunction('list<A>.max(): A', extreme('max', -1));
  env.registerFunction('list<A>.indexOf(A): int', (list: unknown[], item: unknown) =>
    BigInt(list.findIndex((candidate) => equal(candidate, item))),
  );
  env.registerFunction('list<A>.lastIndexOf(A): int', (list: unknown[], item: unknown) => {
    for (let i = list.length - 1; i >= 0; i--) if (equal(list[i], item)) return BigInt(i);
    return -1n;
  });
}

/** A Go (RE2) pattern as a JavaScript RegExp, or kube's `Illegal regex` error. */
function goRegex(pattern: string, flags: string): RegExp {
  const regex = goRegExpOf(pattern, flags);
  if (!regex) throw new CelLibraryError(`Illegal regex: error parsing regexp: ${pattern}`);
  return regex;
}

function registerRegex(env: Environment): void {
  // `matches`, as ./cel-source.ts renames it: cel-js's own reads patterns as JavaScript does.
  const matches = (text: string, pattern: string) => goRegex(pattern, 'u').test(text);
  env.registerFunction('string.re2Matches(string): bool', matches);
  env.registerFunction('re2Matches(string, string): bool', matches);
  env.registerFunction('string.find(string): string', (text: string, pattern: string) => {
    return goRegex(pattern, 'u').exec(text)?.[0] ?? '';
  });
  const findAll = (text: string, pattern: string, limit = -1n) => {
    if (limit === 0n) return [];
    const found = [...text.matchAll(goRegex(pattern, 'gu'))].map((match) => match[0]);
    return limit > 0n ? found.slice(0, Number(limit)) : found;
  };
  env.registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) =>
    findAll(text, pattern),
  );
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}

function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', (text: string, index: bigint) => {
    const chars = [...text];
    if (index < 0n || index > BigInt(chars.length)) throw new CelLibraryError(`index out of range: ${index}`);
    return chars[Number(index)] ?? '';
  });
  const replace = (text: string, from: string, to: string, limit = -1n) => {
    if (limit < 0n) return text.split(from).join(to);
    let result = text;
    let start = 0;
    for (let n = 0n; n < limit; n++) {
      const at = result.indexOf(from, start);
      if (at < 0) break;
      result = result.slice(0, at) + to + result.slice(at + from.length);
      start = at + to.length + (from === '' ? 1 : 0);
    }
    return result;
  };
  env.registerFunction('string.replace(string, string): string', (text: string, from: string, to: string) =>
    replace(text, from, to),
  );
  env.registerFunction('string.replace(string, string, int): string', replace);
  // `strings.quote(s)`: a namespace value with the function as its method, as cel-js holds `optional.none()`.
  env.registerType('StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  env.registerFunction('StringsNamespace.quote(string): string', (_: StringsNamespace, text: string) =>
    JSON.stringify(text),
  );
}

/** The receiver of cel-go's `strings.*` functions. */
class StringsNamespace {}

/** A Kubernetes quantity as a CEL value (kube's Quantity type). */
export class QuantityValue {
  constructor(readonly quantity: Quantity) {}

  toString(): string {
    return formatQuantity(this.quantity);
  }
}

const NANOS = 1_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function quantityOf(text: string): QuantityValue {
  try {
    return new QuantityValue(parseQuantity(text));
  } catch (error) {
    if (error instanceof InvalidQuantityError) throw new CelLibraryError(error.message);
    throw error;
  }
}

/** Whether `parse` accepts `text`: kube's `isX(s)` is true exactly when `x(s)` is not an error. */
function parses(parse: (text: string) => unknown, text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

function registerQuantity(env: Environment): void {
  env.registerType('Quantity', QuantityValue);
  env.registerFunction('quantity(string): Quantity', quantityOf);
  env.registerFunction('isQuantity(string): bool', (text: string) => parses(parseQuantity, text));
  const sign = (q: QuantityValue) => BigInt(q.quantity.nanos > 0n ? 1 : q.quantity.nanos < 0n ? -1 : 0);
  env.registerFunction('sign(Quantity): int', sign);
  env.registerFunction('Quantity.sign(): int', sign);
  const asInteger = (q: QuantityValue): bigint | undefined => {
    if (q.quantity.nanos % NANOS !== 0n) return undefined;
    const units = q.quantity.nanos / NANOS;
    return units > INT64_MAX || units < INT64_MIN ? undefined : units;
  };
  env.registerFunction('Quantity.isInteger(): bool', (q: QuantityValue) => asInteger(q) !== undefined);
  env.registerFunction('Quantity.asInteger(): int', (q: QuantityValue) => {
    const units = asInteger(q);
    if (units === undefined) throw new CelLibraryError('cannot convert value to integer');
    return units;
  });
  env.registerFunction(
    'Quantity.asApproximateFloat(): double',
    (q: QuantityValue) => Number(q.quantity.nanos) / 1e9,
  );
  const shifted = (q: QuantityValue, nanos: bigint) =>
    new QuantityValue({ nanos: q.quantity.nanos + nanos, format: q.quantity.format });
  env.registerFunction('Quantity.add(Quantity): Quantity', (q: QuantityValue, other: QuantityValue) =>
    shifted(q, other.quantity.nanos),
  );
  env.registerFunction('Quantity.add(int): Quantity', (q: QuantityValue, n: bigint) => shifted(q, n * NANOS));
  env.registerFunction('Quantity.sub(Quantity): Quantity', (q: QuantityValue, other: QuantityValue) =>
    shifted(q, -other.quantity.nanos),
  );
  env.registerFunction('Quantity.sub(int): Quantity', (q: QuantityValue, n: bigint) =>
    shifted(q, -n * NANOS),
  );
  const order = (q: QuantityValue, other: QuantityValue) =>
    q.quantity.nanos < other.quantity.nanos ? -1 : q.quantity.nanos > other.quantity.nanos ? 1 : 0;
  env.registerFunction(
    'Quantity.isLessThan(Quantity): bool',
    (q: QuantityValue, o: QuantityValue) => order(q, o) < 0,
  );
  env.registerFunction(
    'Quantity.isGreaterThan(Quantity): bool',
    (q: QuantityValue, o: QuantityValue) => order(q, o) > 0,
  );
  env.registerFunction('Quantity.compareTo(Quantity): int', (q: QuantityValue, o: QuantityValue) =>
    BigInt(order(q, o)),
  );
  env.registerOperator('Quantity == Quantity', (q: QuantityValue, o: QuantityValue) => order(q, o) === 0);
}

/** A URL as kube's URL library holds it: Go's url.URL, parsed with ParseRequestURI. */
export class UrlValue {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly escapedPath: string,
    readonly rawQuery: string,
  ) {}
}

/**
 * Go's url.ParseRequestURI as kube's `url()` uses it: an absolute URI or an absolute path, no
 * fragment; anything else is kube's `URL parse error during conversion from string` error.
 */
function parseRequestUri(text: string): UrlValue {
  const fail = (why: string) =>
    new CelLibraryError(`URL parse error during conversion from string: parse "${text}": ${why}`);
  if (text.includes('#')) throw fail('invalid URI for request');
  const absolute = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(text);
  if (!absolute) {
    if (!text.startsWith('/')) throw fail('invalid URI for request');
    const [path, query = ''] = splitOnce(text, '?');
    return new UrlValue('', '', path, query);
  }
  const [, scheme, rest] = absolute;
  const [hierarchy, query = ''] = splitOnce(rest, '?');
  if (!hierarchy.startsWith('//')) {
    if (!hierarchy.startsWith('/')) throw fail('invalid URI for request');
    return new UrlValue(scheme.toLowerCase(), '', hierarchy, query);
  }
  const afterSlashes = hierarchy.slice(2);
  const slash = afterSlashes.indexOf('/');
  const authority = slash < 0 ? afterSlashes : afterSlashes.slice(0, slash);
  const path = slash < 0 ? '' : afterSlashes.slice(slash);
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  if (/[\s<>"{}|\\^`]/.test(host)) throw fail(`invalid character in host name`);
  return new UrlValue(scheme.toLowerCase(), host, path, query);
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function portOf(host: string): string {
  const close = host.indexOf(']');
  const colon = host.lastIndexOf(':');
  return colon > close ? host.slice(colon + 1) : '';
}

function registerUrls(env: Environment): void {
  env.registerType('URL', UrlValue);
  env.registerFunction('url(string): URL', parseRequestUri);
  env.registerFunction('isURL(string): bool', (text: string) => parses(parseRequestUri, text));
  env.registerFunction('URL.getScheme(): string', (u: UrlValue) => u.scheme);
  env.registerFunction('URL.getHost(): string', (u: UrlValue) => u.host);
  env.registerFunction('URL.getHostname(): string', (u: UrlValue) => hostnameOf(u.host));
  env.registerFunction('URL.getPort(): string', (u: UrlValue) => portOf(u.host));
  env.registerFunction('URL.getEscapedPath(): string', (u: UrlValue) => u.escapedPath);
  env.registerFunction('URL.getQuery(): map<string, list<string>>', (u: UrlValue) => {
    const query: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(u.rawQuery)) (query[key] ??= []).push(value);
    return query;
  });
}
