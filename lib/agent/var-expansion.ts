/**
 * Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion), used for env values and for
 * a container's command and args: `$(NAME)` is replaced by NAME's value when NAME is known and kept
 * as written otherwise, `$$` is an escaped `$`, and any other `$` stays as it is.
 *
 * @example expandVars('$(HOST):$(PORT)', { HOST: 'a' }) // 'a:$(PORT)'
 * @example expandVars('$$(HOST)', { HOST: 'a' }) // '$(HOST)'
 */
export function expandVars(input: string, vars: Readonly<Record<string, string>>): string {
  let output = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    output += input.slice(checkpoint, cursor);
    const { text, name, advance } = readReference(input, cursor + 1);
    output += name === undefined ? text : lookUp(name, vars);
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return output + input.slice(checkpoint);
}

/**
 * A container's command or args with `$(VAR)` references to its env expanded, as the kubelet
 * expands them before starting it; an absent or empty list stays absent.
 */
export function expandCommand(
  values: readonly string[] | undefined,
  env: Readonly<Record<string, string>>,
): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  return values.map((value) => expandVars(value, env));
}

function lookUp(name: string, vars: Readonly<Record<string, string>>): string {
  return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : `$(${name})`;
}

/**
 * What follows a `$` at `start`: a reference's name, or the text to copy as is (an escaped `$`, an
 * unclosed `$(`, or `$` and the character after it), and how many code units were consumed.
 */
function readReference(input: string, start: number): { text: string; name?: string; advance: number } {
  const next = String.fromCodePoint(input.codePointAt(start) as number);
  if (next === '$') return { text: '$', advance: 1 };
  if (next === '(') {
    const close = input.indexOf(')', start + 1);
    if (close < 0) return { text: '$(', advance: 1 };
    return { text: '', name: input.slice(start + 1, close), advance: close - start + 1 };
  }
  return { text: `$${next}`, advance: next.length };
}
