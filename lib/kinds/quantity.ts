import * as z from 'zod';

/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), parsed exactly.
 *
 * A quantity is held as a whole number of nano-units in a bigint: Kubernetes itself rounds every
 * parsed value up (away from zero) to nano precision, so nanos lose nothing, and no floating point
 * is ever involved. The format remembers how the value was written (`1Gi` binary, `1G` decimal,
 * `1e9` exponent) because Kubernetes prints a quantity back in the family it was written in.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9: `250m` is 250_000_000n. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
const NUMERIC_WRONG = 'unable to parse numeric part of quantity';
const SUFFIX_WRONG = "unable to parse quantity's suffix";

/** A string that is not a Kubernetes quantity; the message is kube-apiserver's. */
export class InvalidQuantityError extends Error {
  constructor(
    readonly input: string,
    message: string = FORMAT_WRONG,
  ) {
    super(message);
    this.name = 'InvalidQuantityError';
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;
/** Kubernetes caps binary-SI quantities at MaxInt64 units (the "simple cap" in ParseQuantity). */
const MAX_BINARY_NANOS = (2n ** 63n - 1n) * NANOS_PER_UNIT;
/**
 * Beyond any real resource: refusing larger decimal exponents keeps `1e999999999` from allocating
 * a billion-digit bigint (Kubernetes stores it as a scaled decimal; we do not need to).
 */
const MAX_DECIMAL_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = 'eEinumkKMGTP';

interface ScannedQuantity {
  negative: boolean;
  /** Integer digits without leading zeros ('0' when there are none). */
  whole: string;
  /** Fraction digits, possibly empty. */
  fraction: string;
  suffix: string;
}

/**
 * A port of Kubernetes' parseQuantityString scanner, quirks included: `.` and `-` parse as zero,
 * `1.` is one, and anything after the suffix that is not an exponent is a format error.
 */
function scan(text: string): ScannedQuantity {
  const end = text.length;
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos++;
  }
  while (pos < end && text[pos] === '0') pos++;
  if (pos >= end) return { negative, whole: '0', fraction: '', suffix: '' };
  const wholeStart = pos;
  while (pos < end && isDigit(text[pos])) pos++;
  const whole = text.slice(wholeStart, pos) || '0';
  let fraction = '';
  if (text[pos] === '.') {
    const fractionStart = ++pos;
    while (pos < end && isDigit(text[pos])) pos++;
    fraction = text.slice(fractionStart, pos);
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(text[pos])) pos++;
  if (text[pos] === '-' || text[pos] === '+') pos++;
  while (pos < end && isDigit(text[pos])) pos++;
  if (pos < end) throw new InvalidQuantityError(text);
  return { negative, whole, fraction, suffix: text.slice(suffixStart) };
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(text: string, suffix: string): Suffix {
  if (suffix in DECIMAL_SUFFIXES)
    return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > MAX_DECIMAL_EXPONENT) throw new InvalidQuantityError(text, NUMERIC_WRONG);
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new InvalidQuantityError(text, SUFFIX_WRONG);
}

/** `numerator / denominator`, rounded away from zero, as ParseQuantity rounds to nano precision. */
function divideAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator === 0n ? quotient : quotient + (numerator < 0n ? -1n : 1n);
}

/**
 * Parses a quantity as kube-apiserver does, including JSON numbers (`cpu: 0.5`), which Kubernetes
 * reads from their text.
 * @example parseQuantity('1.5Gi') // { nanos: 1610612736000000000n, format: 'BinarySI' }
 * @throws InvalidQuantityError with Kubernetes' message when `input` is not a quantity.
 */
export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === 'number' ? numberText(input) : input;
  let parsed = parsedCache.get(text);
  if (!parsed) {
    parsed = parseText(text);
    if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(text, parsed);
  }
  return parsed;
}

/**
 * Manifests repeat the same few spellings (`250m`, `1Gi`) endlessly, and bigint arithmetic is
 * slow next to a map lookup; the API decodes on every write. Quantities are immutable, so parsed
 * ones are shared. Bounded by clearing, which is enough for a cache of a few thousand strings.
 */
const CACHE_LIMIT = 4096;
const parsedCache = new Map<string, Quantity>();
const canonicalCache = new Map<string, string>();

function parseText(text: string): Quantity {
  if (text === '') throw new InvalidQuantityError(text);
  const { negative, whole, fraction, suffix } = scan(text);
  const { base, exponent, format } = interpretSuffix(text, suffix);
  const digits = BigInt(whole + fraction);
  let nanos: bigint;
  if (base === 10) {
    const shift = exponent - fraction.length + 9;
    nanos = shift >= 0 ? digits * 10n ** BigInt(shift) : divideAwayFromZero(digits, 10n ** BigInt(-shift));
  } else {
    nanos = divideAwayFromZero(
      digits * (1n << BigInt(exponent)) * NANOS_PER_UNIT,
      10n ** BigInt(fraction.length),
    );
  }
  if (format === 'BinarySI' && nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
  return Object.freeze({ nanos: negative ? -nanos : nanos, format });
}

function numberText(value: number): string {
  // String(1e21) is '1e+21', which the scanner reads as an exponent, like Kubernetes reads JSON.
  if (!Number.isFinite(value)) throw new InvalidQuantityError(String(value));
  return String(value);
}

/**
 * Kubernetes' canonical text for a quantity (Quantity.String()): the largest suffix of the
 * quantity's own family that keeps the number whole.
 * @example formatQuantity(parseQuantity('1.5Gi')) // '1536Mi'
 * @example formatQuantity(parseQuantity('0.5')) // '500m'
 * @example formatQuantity(parseQuantity('1e3')) // '1e3' (exponent form is kept, as in Kubernetes)
 */
export function formatQuantity(quantity: Quantity): string {
  const { nanos } = quantity;
  if (nanos === 0n) return '0';
  let format = quantity.format;
  if (format === 'BinarySI') {
    const small = nanos > -1024n * NANOS_PER_UNIT && nanos < 1024n * NANOS_PER_UNIT;
    if (small || nanos % NANOS_PER_UNIT !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let mantissa = nanos / NANOS_PER_UNIT;
    let power = 0;
    while (mantissa % 1024n === 0n && power < BINARY_SUFFIX_BY_POWER.length - 1) {
      mantissa /= 1024n;
      power++;
    }
    return `${mantissa}${BINARY_SUFFIX_BY_POWER[power]}`;
  }
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Kubernetes has no decimal suffix beyond E; keep the value right by staying at E.
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent)}`;
}

/** Orders two quantities by value (format is irrelevant): negative, zero or positive, like Cmp. */
export function compareQuantities(a: Quantity | string | number, b: Quantity | string | number): -1 | 0 | 1 {
  const x = toQuantity(a).nanos;
  const y = toQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The quantity in thousandths, rounded up (Quantity.MilliValue): millicores for `cpu`.
 * @example quantityToMillis('250m') // 250n
 */
export function quantityToMillis(quantity: Quantity | string | number): bigint {
  return ceilDivide(toQuantity(quantity).nanos, NANOS_PER_MILLI);
}

/**
 * The quantity in whole units, rounded up (Quantity.Value): bytes for `memory`, counts for `pods`.
 * @example quantityToUnits('1Gi') // 1073741824n
 */
export function quantityToUnits(quantity: Quantity | string | number): bigint {
  return ceilDivide(toQuantity(quantity).nanos, NANOS_PER_UNIT);
}

/** A quantity from a whole number of millis, in decimal form (what a scheduler sums into). */
export function quantityFromMillis(millis: bigint): Quantity {
  return { nanos: millis * NANOS_PER_MILLI, format: 'DecimalSI' };
}

function ceilDivide(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

function toQuantity(value: Quantity | string | number): Quantity {
  return typeof value === 'object' ? value : parseQuantity(value);
}

/**
 * The canonical spelling of a quantity string, e.g. `1.5Gi` -> `1536Mi`.
 * @throws InvalidQuantityError
 */
export function canonicalQuantity(text: string): string {
  let canonical = canonicalCache.get(text);
  if (canonical === undefined) {
    canonical = formatQuantity(parseQuantity(text));
    if (canonicalCache.size >= CACHE_LIMIT) canonicalCache.clear();
    canonicalCache.set(text, canonical);
  }
  return canonical;
}

/**
 * A quantity field: accepts a string or a JSON number as Kubernetes does (surrounding spaces
 * trimmed, like Quantity.UnmarshalJSON), and outputs the canonical string, so stored objects
 * compare equal whatever spelling the client used.
 */
export const quantity = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    try {
      return canonicalQuantity(typeof value === 'string' ? value.trim() : numberText(value));
    } catch (error) {
      if (!(error instanceof InvalidQuantityError)) throw error;
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `Invalid value: ${JSON.stringify(value)}: ${error.message}`,
      });
      return z.NEVER;
    }
  })
  .meta({ description: 'A Kubernetes resource quantity, e.g. 250m, 1.5Gi, 1e3.' });
