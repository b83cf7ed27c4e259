/**
 * An object as the server's JSON, read field by field. The CLI shows fields of every kind and
 * must not break on a newer server's additions, so it reads loosely instead of decoding each
 * object with its kind's schema; `any` is the honest type for that.
 */
export type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
