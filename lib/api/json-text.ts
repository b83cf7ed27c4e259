/**
 * The deepest nesting of objects and lists a request body may have. Kubernetes objects nest a few
 * dozen levels at most (a CRD's schema, deepest of all, rarely passes 50); the code after decoding
 * (patching, validation, pruning, copying) recurses once per level, so the bound is what keeps a
 * small, deep body from exhausting the stack.
 */
export const MAX_JSON_DEPTH = 1000;

/** A body nested deeper than MAX_JSON_DEPTH. */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`exceeded max depth: objects and lists may nest at most ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * JSON.parse, refusing text nested deeper than MAX_JSON_DEPTH before parsing it. The scan is one
 * pass over the characters (brackets inside strings do not count), so its cost is that of reading
 * the body. Throws SyntaxError for text that is not JSON and JsonTooDeepError for text too deep;
 * callers map both to their own 400.
 *
 * @example
 *   parseJsonText('{"a":[1,2]}'); // { a: [1, 2] }
 */
export function parseJsonText(text: string): unknown {
  if (fewBrackets(text)) return JSON.parse(text);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return JSON.parse(text);
}

/** Whether the text holds too few brackets to nest past the bound: found by native search, so most bodies skip the scan. */
function fewBrackets(text: string): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1))
      if (++count > MAX_JSON_DEPTH) return false;
  }
  return true;
}
