import type protobuf from 'protobufjs/light';
import { goConvertError, goPrint } from '../../../lib/api/protobuf/go-convert-errors';
import { messageForKind } from '../../../lib/api/protobuf/kube-schema';
import { deploymentWith as deployment, SELF_DECODING_FIELDS } from './deployment-variants';

const Deployment = messageForKind('apps/v1', 'Deployment') as protobuf.Type;

describe("the first value kube's unstructured converter cannot put in a built-in kind's Go type", () => {
  it('finds none in a valid object, nor in types that convert themselves', () => {
    expect(goConvertError(Deployment, SELF_DECODING_FIELDS)).toBeUndefined();
  });

  it.each([
    ['a string for an int32', deployment({ replicas: '3' }), 'unrecognized type: int32'],
    ['a fraction for an int32', deployment({ replicas: 1.5 }), 'cannot convert float64 to int32'],
    ['a bool for an int32', deployment({ replicas: true }), 'unrecognized type: int32'],
    [
      'a number for a string',
      { metadata: { name: 'web', labels: { version: 1 } } },
      'cannot convert int64 to string',
    ],
    [
      'a number for a named string type',
      deployment({}, { ports: [{ containerPort: 80, protocol: 6 }] }),
      'cannot convert int64 to v1.Protocol',
    ],
    ['a fraction for a string', { metadata: { name: 1.5 } }, 'unrecognized type: string'],
    ['a bool for a string', { metadata: { name: true } }, 'unrecognized type: string'],
    ['a string for a bool', deployment({ paused: 'yes' }), 'unrecognized type: bool'],
    ['a string for a struct', { spec: 'web' }, 'cannot restore struct from: string'],
    ['an object for a list', deployment({}, { args: { a: 1 } }), 'cannot restore slice from map'],
    ['a list for a map', { metadata: { name: 'web', labels: ['a'] } }, 'cannot restore map from slice'],
  ])('words %s as the converter does', (_case, value, expected) => {
    expect(goConvertError(Deployment, value)).toBe(expected);
  });

  it("goes through a struct's fields in the Go type's order, not the document's", () => {
    // DeploymentSpec declares replicas before paused.
    expect(goConvertError(Deployment, deployment({ paused: 'yes', replicas: '3' }))).toBe(
      'unrecognized type: int32',
    );
  });
});

describe("Go's %+v of a decoded patch", () => {
  it.each([
    [{ spec: { replicas: '3' } }, 'map[spec:map[replicas:3]]'],
    [{ b: [1, 'x', null, true], a: {} }, 'map[a:map[] b:[1 x <nil> true]]'],
    [{ f: 1.5, big: 1234567.5, small: 0.00001 }, 'map[big:1.2345675e+06 f:1.5 small:1e-05]'],
  ])('prints %j as %s', (value, printed) => {
    expect(goPrint(value)).toBe(printed);
  });
});
