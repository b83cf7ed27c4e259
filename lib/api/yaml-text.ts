import { parse as parseYaml } from 'yaml';
import { JsonTooDeepError, MAX_JSON_DEPTH } from './json-text';

/**
 * One YAML document as JSON values, as sigs.k8s.io/yaml reads a body: aliases are expanded (at
 * most 100 of them, against "billion laughs" bodies), and more than one document is an error.
 * Flow collections nested deeper than MAX_JSON_DEPTH are refused before parsing (JsonTooDeepError):
 * the YAML parser recurses per level, and a body of 100 KB of `[` made it exhaust V8's memory and
 * abort the whole process, which no catch can stop.
 */
export function parseYamlText(text: string): unknown {
  if (flowDepth(text) > MAX_JSON_DEPTH) throw new JsonTooDeepError();
  return parseYaml(text, { maxAliasCount: 100 }) as unknown;
}

/**
 * The deepest nesting of `[` and `{` in the text, outside quoted scalars and comments. A quote
 * opens a quoted scalar only where a token may start (after whitespace, a flow indicator or `:`),
 * as in YAML; inside a plain scalar it is a character like any other. Closing brackets inside
 * quotes do not count, so they cannot hide the depth of what follows.
 */
export function flowDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const tokenStart = /[\s[\]{},:]/.test(previous);
    if ((c === '"' || c === "'") && tokenStart) {
      i = endOfQuoted(text, i, c);
      previous = c;
      continue;
    }
    if (c === '#' && /\s/.test(previous)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
      previous = ' ';
      continue;
    }
    if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    previous = c;
  }
  return deepest;
}

/** The index of the quote that ends the quoted scalar opened at `start` (or the text's end). */
function endOfQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
