import { compatibleSource } from '../../../lib/crd/schema/cel-source';
import { kubernetesCelEnvironment } from '../../../lib/crd/schema/cel-kube-library';

const env = kubernetesCelEnvironment();

function evaluate(rule: string, self: unknown): unknown {
  return env.parse(compatibleSource(rule))({ self });
}

describe('CEL rules reworded for cel-js', () => {
  it.each([
    ['has(self.spec)', 'has(self.spec)'],
    ['has(self[0].matches)', '(self[0]).?matches.hasValue()'],
    ['!has(self.matches[0].path)', '!(self.matches[0]).?path.hasValue()'],
    ['has(self.list.filter(f, has(f.x))[0].y)', '(self.list.filter(f, has(f.x))[0]).?y.hasValue()'],
    ["self.matches('^a$')", "self.re2Matches('^a$')"],
    ["matches(self, 'a')", "re2Matches(self, 'a')"],
    [
      "self == 'has(self[0].x)' && self != r'matches(x)'",
      "self == 'has(self[0].x)' && self != r'matches(x)'",
    ],
    ['self.x.has(y)', 'self.x.has(y)'],
    ["self == '''it's has(a[0].b)'''", "self == '''it's has(a[0].b)'''"],
  ])('%s reads as %s', (rule, expected) => {
    expect(compatibleSource(rule)).toBe(expected);
  });

  it.each([
    ['has(self[0].matches)', [{ matches: [1] }], true],
    ['has(self[0].matches)', [{ path: 'x' }], false],
    [
      'has(self.rules[1].matches) ? self.rules[1].matches.size() : 0',
      { rules: [{}, { matches: [1, 2] }] },
      2n,
    ],
    ["self.matches('(?i)^GRPC\\\\.health$')", 'grpc.Health', true],
    ["self.matches('\\\\Aabc\\\\z')", 'abc', true],
    ["self.matches('^(?i)\\\\.?[a-z_][a-z_0-9]*$')", 'Grpc_Health', true],
  ])('%s over %j is %s', (rule, self, expected) => {
    expect(evaluate(rule, self)).toBe(expected);
  });
});
