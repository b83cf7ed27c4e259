/**
 * A Go regexp (RE2) pattern as a JavaScript RegExp, for the schema's `pattern` and CEL's
 * `matches`: RE2's inline flags (`(?i)`, `(?s)`, `(?m)`, which JavaScript does not take inline) at
 * the start, or just after a leading `^` (`^(?i)[a-z]+$`, as Gateway API's GRPCRoute writes them),
 * where they cover the whole pattern, become RegExp flags, and `\A`/`\z` become `^`/`$`. A pattern JavaScript's unicode mode
 * refuses (an escaped `-` outside a class, say) is retried without it; one JavaScript cannot run
 * at all gives undefined.
 */
export function goRegExpOf(pattern: string, flags = 'u'): RegExp | undefined {
  let source = pattern;
  let extra = '';
  const inline = /^(\^?)\(\?([ims]+)\)/.exec(source);
  if (inline) {
    extra = inline[2];
    source = inline[1] + source.slice(inline[0].length);
  }
  source = source.replaceAll('\\A', '^').replaceAll('\\z', '$');
  for (const attempt of [flags + extra, flags.replace('u', '') + extra])
    try {
      return new RegExp(source, attempt);
    } catch {
      // try the next flags
    }
  return undefined;
}
