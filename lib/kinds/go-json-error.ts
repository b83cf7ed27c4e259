/**
 * The error Go's `json.Unmarshal(bytes, &map[string]interface{}{})` returns for `text`, or
 * undefined when it succeeds: kube-apiserver checks a docker config Secret's content that way and
 * puts the error in its message. JSON null unmarshals into a map without error, as in Go.
 * Syntax errors are rendered in Go's shape (`invalid character 'x' looking for beginning of
 * value`); Go names a finer context for some positions, which this does not reproduce.
 */
export function goJsonObjectError(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return syntaxError(text, error instanceof Error ? error.message : '');
  }
  if (value === null || (typeof value === 'object' && !Array.isArray(value))) return undefined;
  return `json: cannot unmarshal ${goTypeOf(value)} into Go value of type map[string]interface {}`;
}

function goTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function syntaxError(text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : firstNonSpace(text);
  if (offset >= text.length || /unexpected end/i.test(message)) return 'unexpected end of JSON input';
  return `invalid character ${quoteChar(text[offset])} looking for beginning of value`;
}

function firstNonSpace(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index : text.length;
}

/** Go's quoteChar: `'x'`, with `'\''` and `'"'` spelled as Go spells them. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const code = c.charCodeAt(0);
  if (code < 0x20) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}
