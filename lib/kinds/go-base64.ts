/**
 * Where Go's base64.StdEncoding would stop decoding `text`: the byte offset its CorruptInputError
 * names, or undefined when the text decodes. kube-apiserver decodes a Secret's `data` values with
 * it, so this gives the same `illegal base64 data at input byte N` kube answers. Newlines are
 * skipped and padding is required, as in Go's decodeQuantum.
 *
 * @example goBase64ErrorOffset('abc') // 0 (a quantum cut short without padding)
 */
export function goBase64ErrorOffset(text: string): number | undefined {
  let index = 0;
  while (index < text.length) {
    const result = decodeQuantum(text, index);
    if (result.error !== undefined) return result.error;
    if (result.next === undefined) return undefined;
    index = result.next;
  }
  return undefined;
}

const ALPHABET = /[A-Za-z0-9+/]/;
const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/** One four-character quantum from `start`: where the next begins, or the offset of the error. */
function decodeQuantum(text: string, start: number): { next?: number; error?: number } {
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === text.length) return j === 0 ? {} : { error: si - j };
    const c = text[si++];
    if (ALPHABET.test(c)) continue;
    if (isNewline(c)) {
      j--;
      continue;
    }
    if (c !== '=') return { error: si - 1 };
    // Padding: only after two or three characters of the quantum.
    if (j < 2) return { error: si - 1 };
    if (j === 2) {
      while (si < text.length && isNewline(text[si])) si++;
      if (si === text.length) return { error: text.length };
      if (text[si] !== '=') return { error: si - 1 };
      si++;
    }
    while (si < text.length && isNewline(text[si])) si++;
    return si < text.length ? { error: si } : {};
  }
  return { next: si };
}
