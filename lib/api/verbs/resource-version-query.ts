import { BadRequestError } from '../errors';

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * The `resourceVersion` query parameter of a list or watch as a revision: 0 when absent, empty or
 * "0". Anything Go's strconv.ParseUint would refuse is kube's 400 for it (etcd3's
 * `invalid resource version`), with the parse error as kube words it and no causes:
 * `invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax`.
 */
export function resourceVersionQuery(value: string | undefined): number {
  if (value === undefined || value === '' || value === '0') return 0;
  const problem = !/^\d+$/.test(value)
    ? 'invalid syntax'
    : BigInt(value) > UINT64_MAX
      ? 'value out of range'
      : undefined;
  if (problem === undefined) return Number(value);
  const quoted = JSON.stringify(value);
  throw new BadRequestError(
    `invalid resource version: resourceVersion: Invalid value: ${quoted}: strconv.ParseUint: parsing ${quoted}: ${problem}`,
  );
}
