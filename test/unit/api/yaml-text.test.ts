import { JsonTooDeepError, MAX_JSON_DEPTH } from '../../../lib/api/json-text';
import { flowDepth, parseYamlText } from '../../../lib/api/yaml-text';

/** YAML bodies: deep flow collections are refused before the parser sees them. */
describe('parseYamlText', () => {
  const nested = (depth: number) => `x: ${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('parses YAML as JSON values', () => {
    expect(parseYamlText('a: [1, {b: "c"}]\nd: e # note\n')).toEqual({ a: [1, { b: 'c' }], d: 'e' });
  });

  it('refuses flows nested deeper than the JSON bound, even 100 KB of them', () => {
    expect(() => parseYamlText(nested(MAX_JSON_DEPTH + 1))).toThrow(JsonTooDeepError);
    expect(() => parseYamlText(nested(100_000))).toThrow(JsonTooDeepError);
    expect(flowDepth(nested(MAX_JSON_DEPTH))).toBe(MAX_JSON_DEPTH);
  });

  it('does not let brackets in quoted scalars or comments hide or fake depth', () => {
    const closers = `a: "${']'.repeat(2000)}"\nb: '${"]]''".repeat(500)}'\n`;
    expect(flowDepth(closers + nested(1500))).toBe(1500);
    expect(flowDepth(`a: "${'['.repeat(2000)}"\n# ${'['.repeat(2000)}\n`)).toBe(0);
    // A quote inside a plain scalar is a character, not the start of a quoted scalar.
    expect(flowDepth(`a: don't\nb: ${'['.repeat(1200)}`)).toBe(1200);
  });
});
