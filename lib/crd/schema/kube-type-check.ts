/**
 * kube-openapi's type check (pkg/validation/validate/type.go, typeValidator.Validate) for a value
 * ajv rejected on `type`: it decides whether kube rejects it too and with which words. The
 * message is `<path> in body must be of type <expected>: "<actual>"`, where `actual` is the
 * value's JSON type as Go decoded it (integers decode as int64, other numbers as float64) or,
 * when the schema has a format, the Go format of the value (`int64`, `float64`, or "").
 *
 * Kube's quirks are kept: a string schema with a (kept) format accepts arrays, and a formatted
 * schema names the format rather than the type when a non-string value misses it.
 */
export interface KubeTypeFailure {
  /** What the value must be (`integer`, `integer,string`, `date-time`, ...). */
  expected: string;
  /** What it is, as kube prints it (`string`, `null`, `int64`, ...). */
  actual: string;
}

/** The JSON type kube-openapi infers for a decoded value. */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return isGoInt64(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether Go's JSON decoding would have produced an int64 (an integral number in range). */
function isGoInt64(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63;
}

/** The Go format of a value (schemaInfoForType): int64, float64, or none. */
function goFormatOf(value: unknown): string {
  if (typeof value !== 'number') return '';
  return isGoInt64(value) ? 'int64' : 'float64';
}

/**
 * Returns how kube's type check fails for `value` against declared `types` (one type, or
 * integer+string), or undefined if kube accepts it.
 */
export function kubeTypeFailure(
  types: readonly string[],
  nullable: boolean,
  format: string | undefined,
  value: unknown,
): KubeTypeFailure | undefined {
  if (value === null || value === undefined) {
    if (types.length > 0 && !types.includes('null') && !nullable)
      return { expected: types.join(','), actual: 'null' };
    return undefined;
  }
  const schType = jsonTypeOf(value);
  const goFormat = goFormatOf(value);
  const isStringOrSlice = typeof value === 'string' || Array.isArray(value);
  const isFloatInt = schType === 'number' && Number.isInteger(value) && types.includes('integer');
  const isIntFloat = schType === 'integer' && types.includes('number');
  const isLowerInt = format === 'int64' && goFormat === 'int32';
  const isLowerFloat = format === 'float64' && goFormat === 'float32';
  if (
    !isStringOrSlice &&
    format &&
    !(
      types.includes(schType) ||
      goFormat === format ||
      isFloatInt ||
      isIntFloat ||
      isLowerInt ||
      isLowerFloat
    )
  )
    return { expected: format, actual: goFormat };
  if (!(types.includes('number') || types.includes('integer')) && format && isStringOrSlice) return undefined;
  if (!(types.includes(schType) || isFloatInt || isIntFloat))
    return { expected: types.join(','), actual: schType };
  return undefined;
}
