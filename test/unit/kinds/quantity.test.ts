import fc from 'fast-check';
import {
  InvalidQuantityError,
  canonicalQuantity,
  compareQuantities,
  formatQuantity,
  parseQuantity,
  quantity,
  quantityFromMillis,
  quantityToMillis,
  quantityToUnits,
} from '../../../lib/kinds/quantity';

const FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

describe('Quantity', () => {
  describe('parsing', () => {
    it.each([
      ['250m', 250_000_000n, 'DecimalSI'],
      ['1.5Gi', 1_610_612_736_000_000_000n, 'BinarySI'],
      ['1e3', 1_000_000_000_000n, 'DecimalExponent'],
      ['1E3', 1_000_000_000_000n, 'DecimalExponent'],
      ['12e-3', 12_000_000n, 'DecimalExponent'],
      ['0.1', 100_000_000n, 'DecimalSI'],
      ['-1', -1_000_000_000n, 'DecimalSI'],
      ['+2k', 2_000_000_000_000n, 'DecimalSI'],
      ['1n', 1n, 'DecimalSI'],
      ['0', 0n, 'DecimalSI'],
    ] as const)('reads %s exactly', (text, nanos, format) => {
      expect(parseQuantity(text)).toEqual({ nanos, format });
    });

    it('rounds values below a nano up, away from zero, as Kubernetes does', () => {
      expect(parseQuantity('0.1n').nanos).toBe(1n);
      expect(parseQuantity('-0.1n').nanos).toBe(-1n);
      expect(parseQuantity('1e-12').nanos).toBe(1n);
    });

    it('keeps integers beyond 2^53 exact', () => {
      expect(parseQuantity('9007199254740993').nanos).toBe(9_007_199_254_740_993_000_000_000n);
      expect(parseQuantity('123456789012345678901234567890').nanos).toBe(
        123456789012345678901234567890n * 10n ** 9n,
      );
    });

    it('reads JSON numbers from their text', () => {
      expect(parseQuantity(0.5).nanos).toBe(500_000_000n);
      expect(parseQuantity(2).nanos).toBe(2_000_000_000n);
      expect(parseQuantity(1e21).nanos).toBe(10n ** 30n);
    });

    it.each(['1.2.3', '5Zi', '', 'abc', '1 ', '1e3e'])('refuses %j with the Kubernetes message', (text) => {
      expect(() => parseQuantity(text)).toThrow(new InvalidQuantityError(text, FORMAT_MESSAGE));
    });

    it("refuses an unknown suffix made of suffix letters with kube's suffix message", () => {
      expect(() => parseQuantity('1ki')).toThrow("unable to parse quantity's suffix");
      expect(() => parseQuantity('1e')).toThrow("unable to parse quantity's suffix");
      expect(() => parseQuantity('--1')).toThrow("unable to parse quantity's suffix");
    });

    it('refuses NaN and infinities', () => {
      expect(() => parseQuantity(Number.NaN)).toThrow(InvalidQuantityError);
      expect(() => parseQuantity(Number.POSITIVE_INFINITY)).toThrow(InvalidQuantityError);
    });

    it('caps binary quantities at MaxInt64 units, as Kubernetes does', () => {
      expect(quantityToUnits('16Ei')).toBe(2n ** 63n - 1n);
    });
  });

  describe('canonical form', () => {
    it.each([
      ['1.5Gi', '1536Mi'],
      ['0.5', '500m'],
      ['250m', '250m'],
      ['1e3', '1e3'],
      ['1E3', '1e3'],
      ['1.5e3', '1500'],
      ['12e-3', '12e-3'],
      ['1000', '1k'],
      ['1000m', '1'],
      ['1500m', '1500m'],
      ['0.1', '100m'],
      ['-1', '-1'],
      ['+1', '1'],
      ['01', '1'],
      ['1024Mi', '1Gi'],
      ['1025Ki', '1025Ki'],
      ['0.5Ki', '512'],
      ['1.1Ki', '1126400m'],
      ['-1Ki', '-1Ki'],
      ['1024', '1024'],
      ['1000E', '1000E'],
      ['0.0', '0'],
      ['.', '0'],
    ])('writes %s as %s', (text, canonical) => {
      expect(formatQuantity(parseQuantity(text))).toBe(canonical);
      expect(canonicalQuantity(text)).toBe(canonical);
    });
  });

  describe('comparison and scheduler values', () => {
    it('compares by value, whatever the spelling', () => {
      expect(compareQuantities('1000m', '1')).toBe(0);
      expect(compareQuantities('1Gi', '1G')).toBe(1);
      expect(compareQuantities('100m', 0.2)).toBe(-1);
      expect(compareQuantities(parseQuantity('1e3'), '1k')).toBe(0);
    });

    it('gives millicores and bytes as bigints, rounding up like MilliValue and Value', () => {
      expect(quantityToMillis('250m')).toBe(250n);
      expect(quantityToMillis('1.5')).toBe(1500n);
      expect(quantityToMillis('1n')).toBe(1n);
      expect(quantityToUnits('1Gi')).toBe(1_073_741_824n);
      expect(quantityToUnits('1.5Gi')).toBe(1_610_612_736n);
      expect(quantityToUnits('100m')).toBe(1n);
    });

    it('builds a quantity from millis', () => {
      expect(formatQuantity(quantityFromMillis(1500n))).toBe('1500m');
      expect(formatQuantity(quantityFromMillis(2000n))).toBe('2');
    });
  });

  describe('the quantity field schema', () => {
    it('accepts strings and numbers and stores the canonical string', () => {
      expect(quantity.parse('1.5Gi')).toBe('1536Mi');
      expect(quantity.parse(0.5)).toBe('500m');
      expect(quantity.parse(' 2 ')).toBe('2');
    });

    it("reports an invalid quantity with Kubernetes' message", () => {
      const result = quantity.safeParse('1.2.3');
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe(`Invalid value: "1.2.3": ${FORMAT_MESSAGE}`);
    });
  });

  describe('properties', () => {
    const quantityText = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
        fc.constantFrom(
          ...['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'],
          ...['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'],
          ...['e0', 'e3', 'E6', 'e-3', 'e-12', 'e+2', 'e21'],
        ),
      )
      .map(
        ([sign, whole, fraction, suffix]) =>
          `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${suffix}`,
      );

    it('parsing the canonical form gives back the same value', () => {
      fc.assert(
        fc.property(quantityText, (text) => {
          const parsed = parseQuantity(text);
          expect(parseQuantity(formatQuantity(parsed)).nanos).toBe(parsed.nanos);
        }),
      );
    });

    it('the canonical form is a fixed point', () => {
      fc.assert(
        fc.property(quantityText, (text) => {
          const canonical = formatQuantity(parseQuantity(text));
          expect(formatQuantity(parseQuantity(canonical))).toBe(canonical);
        }),
      );
    });

    it('orders quantities as their integer values', () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
          fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
          (a, b) => {
            const expected = a < b ? -1 : a > b ? 1 : 0;
            expect(compareQuantities(`${a}m`, `${b}m`)).toBe(expected);
            expect(quantityToMillis(`${a}m`)).toBe(a);
          },
        ),
      );
    });

    it('a binary quantity and its byte count are the same value', () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 2n ** 32n }),
          fc.constantFrom('Ki', 'Mi', 'Gi'),
          (n, suffix) => {
            const factor = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n }[suffix];
            expect(quantityToUnits(`${n}${suffix}`)).toBe(n * factor);
            expect(compareQuantities(`${n}${suffix}`, `${n * factor}`)).toBe(0);
          },
        ),
      );
    });
  });
});
