/**
 * CEL rules as CRDs write them, reworded where @marcbachmann/cel-js reads CEL more narrowly than
 * cel-go, without changing what they mean:
 *
 * - `has(e.f)` whose `e` is not a plain name chain (`has(self.rules[0].matches)`, which Gateway
 *   API's HTTPRoute and GRPCRoute rules use): cel-js takes only `has(a.b.c)`. It becomes
 *   `(e).?f.hasValue()`, CEL's optional field selection, which tests the same presence.
 * - `matches(...)` becomes `re2Matches(...)` (./cel-kube-library.ts), which reads the pattern as
 *   RE2 does where JavaScript would not: leading inline flags such as `(?i)`, `\A` and `\z`.
 *
 * The rewrite works on tokens, so string literals (raw, triple-quoted, bytes) are never touched.
 */
export function compatibleSource(rule: string): string {
  return rewrite(tokenize(rule));
}

interface Token {
  kind: 'string' | 'name' | 'number' | 'space' | 'punct';
  text: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const literal = /^([rRbB]{0,2})('''|"""|'|")/.exec(rest);
    if (literal && (literal[1] === '' || !/[A-Za-z0-9_]/.test(source[i - 1] ?? ''))) {
      const end = stringEnd(source, i + literal[0].length, literal[2], /r/i.test(literal[1]));
      tokens.push({ kind: 'string', text: source.slice(i, end) });
      i = end;
      continue;
    }
    const match =
      /^\s+/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ??
      /^(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)[uU]?/.exec(rest);
    if (match) {
      const kind = /^\s/.test(match[0]) ? 'space' : /^[0-9]/.test(match[0]) ? 'number' : 'name';
      tokens.push({ kind, text: match[0] });
      i += match[0].length;
      continue;
    }
    tokens.push({ kind: 'punct', text: source[i] });
    i++;
  }
  return tokens;
}

/** Where a string literal opened by `quote` ends (after its closing quote). */
function stringEnd(source: string, from: number, quote: string, raw: boolean): number {
  let i = from;
  while (i < source.length) {
    if (!raw && source[i] === '\\') i += 2;
    else if (source.startsWith(quote, i)) return i + quote.length;
    else i++;
  }
  return source.length;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** The index of the bracket closing the one at `open`, or -1. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const { kind, text } = tokens[i];
    if (kind !== 'punct') continue;
    if (OPEN.has(text)) depth++;
    else if (CLOSE.has(text) && --depth === 0) return i;
  }
  return -1;
}

function previousSolid(tokens: readonly Token[], before: number): Token | undefined {
  for (let i = before - 1; i >= 0; i--) if (tokens[i].kind !== 'space') return tokens[i];
  return undefined;
}

function nextSolid(tokens: readonly Token[], after: number): number {
  for (let i = after + 1; i < tokens.length; i++) if (tokens[i].kind !== 'space') return i;
  return -1;
}

function rewrite(tokens: readonly Token[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const open = token.kind === 'name' ? nextSolid(tokens, i) : -1;
    const called = open >= 0 && tokens[open].text === '(';
    if (called && token.text === 'matches') {
      out += 're2Matches';
      continue;
    }
    if (called && token.text === 'has' && previousSolid(tokens, i)?.text !== '.') {
      const close = closing(tokens, open);
      if (close > open) {
        out += presence(tokens.slice(open + 1, close));
        i = close;
        continue;
      }
    }
    out += token.text;
  }
  return out;
}

/** `has(argument)`, or its optional-selection form when cel-js would refuse the argument. */
function presence(argument: readonly Token[]): string {
  const solid = argument.map((token, i) => ({ token, i })).filter(({ token }) => token.kind !== 'space');
  const field = solid.at(-1);
  const dot = solid.at(-2);
  const optional = dot?.token.text === '?' && solid.at(-3)?.token.text === '.';
  const selector = optional ? solid.at(-3) : dot;
  if (!field || field.token.kind !== 'name' || selector?.token.text !== '.')
    return `has(${rewrite(argument)})`;
  const operand = argument.slice(0, selector.i);
  const plainChain = operand.every(
    (token) => token.kind === 'space' || token.kind === 'name' || token.text === '.' || token.text === '?',
  );
  if (plainChain) return `has(${rewrite(argument)})`;
  return `(${rewrite(operand)}).?${field.token.text}.hasValue()`;
}
