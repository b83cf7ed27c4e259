import { ConfigMapKind, type ConfigMap } from '../../../lib/kinds/config-map';
import { aConfigMap } from '../../support/builders';
import { decoded, invalidLines } from './decode-helpers';

describe('ConfigMap', () => {
  it('keeps data, binaryData and immutable as written', () => {
    const configMap = decoded<ConfigMap>(
      ConfigMapKind,
      aConfigMap({
        data: { 'app.properties': 'a=b' },
        binaryData: { logo: 'iVBORw0KGgo=' },
        immutable: true,
      }),
    );
    expect(configMap).toMatchObject({
      data: { 'app.properties': 'a=b' },
      binaryData: { logo: 'iVBORw0KGgo=' },
      immutable: true,
    });
  });

  it('validates keys as Kubernetes does, naming the key in the path', () => {
    expect(invalidLines(ConfigMapKind, aConfigMap({ data: { 'bad key': 'x', '..hidden': 'y' } }))).toEqual([
      "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      'data[..hidden]: Invalid value: "..hidden": must not start with \'..\'',
    ]);
  });

  it('refuses a key in both data and binaryData, and binary data that is not base64', () => {
    expect(invalidLines(ConfigMapKind, aConfigMap({ binaryData: { b: 'not base64!' } }))).toEqual([
      'binaryData[b]: Invalid value: "not base64!": illegal base64 data',
    ]);
    expect(invalidLines(ConfigMapKind, aConfigMap({ data: { a: 'x' }, binaryData: { a: 'eA==' } }))).toEqual([
      'data[a]: Invalid value: "a": duplicate of key present in binaryData',
    ]);
  });

  it('refuses more than 1 MiB of data', () => {
    expect(invalidLines(ConfigMapKind, aConfigMap({ data: { big: 'x'.repeat(1024 * 1024) } }))).toEqual([
      ': Too long: may not be more than 1048576 bytes',
    ]);
  });
});
