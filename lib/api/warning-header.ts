/** Past this many characters of warning text in one response, each warning is cut short (kube's recorder). */
const TRUNCATE_AT_TOTAL = 4 * 1024;
/** ... to this many characters. */
const TRUNCATE_ITEM = 256;

/**
 * The `Warning` header value for a response's warnings, built as kube-apiserver's warning recorder
 * builds it: each warning once, as `299 - "text"` with `"` and `\` escaped; a warning holding a
 * control character (which could split the header) is dropped; and once the texts pass 4,096
 * characters in all, every warning is cut to 256 characters and no more are added. Returns
 * undefined when nothing is left to say. Header values are Unicode here: each transport decides
 * how to put them on the wire (see lib/local/http and functions/api).
 *
 * @example
 *   warningHeader(['unknown field "spec.replica"']); // '299 - "unknown field \"spec.replica\""'
 */
export function warningHeader(warnings: readonly string[]): string | undefined {
  const texts = [...new Set(warnings)].filter((text) => text !== '' && !/\p{Cc}/u.test(text));
  const total = texts.reduce((sum, text) => sum + [...text].length, 0);
  let kept = texts;
  if (total > TRUNCATE_AT_TOTAL) {
    kept = [];
    let written = 0;
    for (const text of texts) {
      if (written >= TRUNCATE_AT_TOTAL) break;
      const cut = [...text].slice(0, TRUNCATE_ITEM).join('');
      written += [...cut].length;
      kept.push(cut);
    }
  }
  if (kept.length === 0) return undefined;
  return kept.map((text) => `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(', ');
}
