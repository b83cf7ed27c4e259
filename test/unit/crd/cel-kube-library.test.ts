import { kubernetesCelEnvironment } from '../../../lib/crd/schema/cel-kube-library';

/**
 * The Kubernetes CEL libraries CRD rules can call, checked against the examples in their Go doc
 * comments (k8s.io/apiserver pkg/cel/library) and cel-go's strings extension.
 */
const env = kubernetesCelEnvironment();

function evaluate(expression: string): unknown {
  return env.parse(expression)({});
}

describe('the Kubernetes CEL libraries', () => {
  it.each([
    // lists
    ['[1, 2, 3].isSorted()', true],
    ['[3, 1, 2].isSorted()', false],
    ["['a', 'b', 'b'].isSorted()", true],
    ['[1, 2, 3].sum() == 6', true],
    ['[1.5, 2.5].sum() == 4.0', true],
    ['[3, 1, 2].min() == 1', true],
    ["['b', 'c', 'a'].max() == 'c'", true],
    ['[1, 2, 1].indexOf(1) == 0', true],
    ['[1, 2, 1].lastIndexOf(1) == 2', true],
    ['[1, 2, 1].indexOf(9) == -1', true],
    // regex
    ["'abc 123 def 456'.find('[0-9]+') == '123'", true],
    ["'abc'.find('[0-9]+') == ''", true],
    ["'abc 123 def 456'.findAll('[0-9]+') == ['123', '456']", true],
    ["'abc 123 def 456'.findAll('[0-9]+', 1) == ['123']", true],
    // strings (cel-go's extension)
    ["'hello'.charAt(1) == 'e'", true],
    ["'hello'.charAt(5) == ''", true],
    ["'aaa'.replace('a', 'b') == 'bbb'", true],
    ["'aaa'.replace('a', 'b', 2) == 'bba'", true],
    ["'Hello'.lowerAscii() == 'hello'", true],
    ["'a,b'.split(',') == ['a', 'b']", true],
    ['strings.quote(\'say "hi"\') == \'"say \\\\"hi\\\\""\'', true],
    // quantity
    ["quantity('50k').asInteger() == 50000", true],
    ["quantity('50000000G').isInteger()", true],
    ["quantity('9999999999999999999999999999999999999G').isInteger()", false],
    ["quantity('1m').isInteger()", false],
    ["quantity('50k').sub(20000).asApproximateFloat() == 30000.0", true],
    ["quantity('50k').add(quantity('20k')) == quantity('70k')", true],
    ["quantity('50k').add(20) == quantity('50020')", true],
    ["quantity('50k').add(20).sub(quantity('100k')).sub(-50000) == quantity('20')", true],
    ["quantity('200M').compareTo(quantity('0.2G')) == 0", true],
    ["quantity('50M').compareTo(quantity('50Mi')) == -1", true],
    ["quantity('50Mi').isGreaterThan(quantity('50M'))", true],
    ["quantity('50M').isLessThan(quantity('100M'))", true],
    ["sign(quantity('-1')) == -1", true],
    ["isQuantity('1.3Gi')", true],
    ["isQuantity('200K')", false],
    ["isQuantity('1,3G')", false],
    // URLs
    ["url('https://example.com:8080/path?k=v&k=w').getHost() == 'example.com:8080'", true],
    ["url('https://example.com:8080/path').getHostname() == 'example.com'", true],
    ["url('https://example.com:8080/path').getPort() == '8080'", true],
    ["url('https://example.com/').getPort() == ''", true],
    ["url('HTTPS://example.com/').getScheme() == 'https'", true],
    ["url('https://example.com/a%20b').getEscapedPath() == '/a%20b'", true],
    ["url('https://example.com/?k=v&k=w').getQuery() == {'k': ['v', 'w']}", true],
    ["url('https://[::1]:80/').getHostname() == '::1'", true],
    ["url('/absolute/path').getScheme() == ''", true],
    ["isURL('https://example.com/')", true],
    ["isURL('example.com')", false],
    ["isURL('https://example.com/#frag')", false],
  ])('%s is %s', (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  it.each([
    ['[1].min() == 1 && [].min() == 1', 'min called on empty list'],
    ["'hello'.charAt(6) == ''", 'index out of range: 6'],
    ["quantity('1m').asInteger() == 0", 'cannot convert value to integer'],
    ["quantity('Three') == quantity('3')", 'quantities must match the regular expression'],
    ["'x'.find('[') == ''", 'Illegal regex'],
    ["url('example.com').getHost() == ''", 'URL parse error during conversion from string'],
  ])('%s fails with kube\'s "%s"', (expression, message) => {
    expect(() => evaluate(expression)).toThrow(message);
  });
});
