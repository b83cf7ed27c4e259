import type { Item } from './object-item';
import { InvalidContinueTokenError } from './errors';

/**
 * Continue tokens: the key of the last item returned, bound to the query it came from (the index
 * and partition), base64url-encoded, with the resourceVersion of the list's first page. A token
 * replayed against another query is refused rather than silently answering a different list.
 */
interface TokenBody {
  v: 1;
  q: string;
  k: Record<string, string>;
  rv?: string;
}

/** Where a continued list resumes, and the resourceVersion its first page reported. */
export interface ContinuePoint {
  startKey: Item;
  resourceVersion?: string;
}

/** Encodes the position after `lastKey` (string attributes only: every key here is a string). */
export function encodeContinueToken(queryId: string, lastKey: Item, resourceVersion?: string): string {
  const k: Record<string, string> = {};
  for (const [name, value] of Object.entries(lastKey)) if (value.S !== undefined) k[name] = value.S;
  const body: TokenBody = { v: 1, q: queryId, k, ...(resourceVersion ? { rv: resourceVersion } : {}) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Decodes a token issued for `queryId` into an ExclusiveStartKey and the first page's resourceVersion. */
export function decodeContinueToken(queryId: string, token: string): ContinuePoint {
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    throw new InvalidContinueTokenError();
  }
  if (body?.v !== 1 || body.q !== queryId || typeof body.k !== 'object' || body.k === null)
    throw new InvalidContinueTokenError();
  if (body.rv !== undefined && (typeof body.rv !== 'string' || !/^\d+$/.test(body.rv)))
    throw new InvalidContinueTokenError();
  const key: Item = {};
  for (const [name, value] of Object.entries(body.k)) {
    if (typeof value !== 'string') throw new InvalidContinueTokenError();
    key[name] = { S: value };
  }
  return { startKey: key, ...(body.rv ? { resourceVersion: body.rv } : {}) };
}
