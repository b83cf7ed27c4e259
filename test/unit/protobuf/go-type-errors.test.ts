import type protobuf from 'protobufjs/light';
import { goUnmarshalTypeError } from '../../../lib/api/protobuf/go-type-errors';
import { messageForKind } from '../../../lib/api/protobuf/kube-schema';
import { deploymentWith as deployment, SELF_DECODING_FIELDS } from './deployment-variants';

const Deployment = messageForKind('apps/v1', 'Deployment') as protobuf.Type;
const Pod = messageForKind('v1', 'Pod') as protobuf.Type;

const error = (path: string, type: string, what = 'string', struct = 'DeploymentSpec') =>
  `json: cannot unmarshal ${what} into Go struct field ${struct}.${path} of type ${type}`;

describe("the first value Go's decoder cannot put in a built-in kind's Go type", () => {
  it('finds none in a valid object, nor in types that decode themselves (IntOrString, Quantity, Time)', () => {
    expect(goUnmarshalTypeError(Deployment, SELF_DECODING_FIELDS)).toBeUndefined();
    expect(
      goUnmarshalTypeError(Deployment, { metadata: { creationTimestamp: 5, name: null }, status: null }),
    ).toBeUndefined();
  });

  it.each([
    ['a quoted replica count', deployment({ replicas: '3' }), error('spec.replicas', 'int32')],
    ['a fraction', deployment({ replicas: 1.5 }), error('spec.replicas', 'int32', 'number 1.5')],
    [
      'an int32 overflow',
      deployment({ replicas: 3_000_000_000 }),
      error('spec.replicas', 'int32', 'number 3000000000'),
    ],
    [
      'a number as a label value (unquoted `version: 1.0` in YAML)',
      { metadata: { name: 'web', labels: { version: 1 } } },
      error('metadata.labels', 'string', 'number', 'ObjectMeta'),
    ],
    ['a string for a struct', { spec: 'web' }, error('spec', 'v1.DeploymentSpec', 'string', 'Deployment')],
    [
      'an object for a list',
      deployment({ template: { spec: { containers: { name: 'web' } } } }),
      error('spec.template.spec.containers', '[]v1.Container', 'object', 'PodSpec'),
    ],
    [
      'a quoted port in a list of a list',
      deployment({}, { ports: [{ containerPort: '80' }] }),
      error('spec.template.spec.containers.ports.containerPort', 'int32', 'string', 'ContainerPort'),
    ],
    [
      'a number for a named string type',
      deployment({}, { ports: [{ containerPort: 80, protocol: 6 }] }),
      error('spec.template.spec.containers.ports.protocol', 'v1.Protocol', 'number', 'ContainerPort'),
    ],
    [
      'an env value left unquoted',
      deployment({}, { env: [{ name: 'PORT', value: 8080 }] }),
      error('spec.template.spec.containers.env.value', 'string', 'number', 'EnvVar'),
    ],
    [
      'a number among a list of strings',
      deployment({}, { args: ['--port', 8080] }),
      error('spec.template.spec.containers.args', 'string', 'number', 'Container'),
    ],
    [
      'a bool for a string',
      { metadata: { name: true } },
      error('metadata.name', 'string', 'bool', 'ObjectMeta'),
    ],
    [
      'a UID as a number',
      { metadata: { uid: 5 } },
      error('metadata.uid', 'types.UID', 'number', 'ObjectMeta'),
    ],
  ])('words %s as Go does', (_case, body, expected) => {
    expect(goUnmarshalTypeError(Deployment, body)).toBe(expected);
  });

  it('reports the first in document order, as Go keeps its first error', () => {
    expect(goUnmarshalTypeError(Deployment, { spec: { paused: 'yes', replicas: '3' } })).toBe(
      error('spec.paused', 'bool'),
    );
    expect(goUnmarshalTypeError(Deployment, { spec: { replicas: '3', paused: 'yes' } })).toBe(
      error('spec.replicas', 'int32'),
    );
  });

  it("names the outer struct for an inline struct's field (a Volume's source)", () => {
    const pod = { spec: { containers: [], volumes: [{ name: 'data', hostPath: 'x' }] } };
    expect(goUnmarshalTypeError(Pod, pod)).toBe(
      error('spec.volumes.hostPath', 'v1.HostPathVolumeSource', 'string', 'Volume'),
    );
  });

  it('skips keys the Go type does not have, and keys that differ only in case', () => {
    expect(goUnmarshalTypeError(Deployment, { spec: { Replicas: '3', extra: { a: 1 } } })).toBeUndefined();
  });
});
