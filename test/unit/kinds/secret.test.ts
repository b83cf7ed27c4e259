import { decodeObject } from '../../../lib/kinds/decode';
import { goBase64ErrorOffset } from '../../../lib/kinds/go-base64';
import { goJsonObjectError } from '../../../lib/kinds/go-json-error';
import { SecretKind, validateSecretUpdate, type Secret } from '../../../lib/kinds/secret';
import { UndecodableObjectError } from '../../../lib/kinds/undecodable-object-error';
import { decoded, invalidLines } from './decode-helpers';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const aSecret = (fields: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'default' },
  ...fields,
});

describe('Secret', () => {
  it('defaults its type to Opaque and keeps data in canonical base64', () => {
    const secret = decoded<Secret>(SecretKind, aSecret({ data: { a: 'YQ=\n=' } }));
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ a: 'YQ==' });
  });

  it('folds stringData into data, overwriting keys of the same name, and never keeps it', () => {
    const { object, warnings } = decodeObject(
      SecretKind,
      aSecret({ data: { a: b64('old'), b: b64('kept') }, stringData: { a: 'new', c: 'plain' } }),
      { fieldValidation: 'Strict' },
    );
    expect(object.data).toEqual({ a: b64('new'), b: b64('kept'), c: b64('plain') });
    expect(JSON.parse(JSON.stringify(object))).not.toHaveProperty('stringData');
    expect(warnings).toEqual([]);
  });

  it('refuses data that is not base64 while decoding, naming the byte and not the value', () => {
    const decode = () => decodeObject(SecretKind, aSecret({ data: { a: 'hunter2!' } }));
    expect(decode).toThrow(UndecodableObjectError);
    expect(decode).toThrow(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 7',
    );
    expect(decode).not.toThrow(/hunter2/);
  });

  it('validates keys as ConfigMap keys and the decoded size against 1 MiB', () => {
    expect(invalidLines(SecretKind, aSecret({ stringData: { 'bad key': 'x' } }))).toEqual([
      "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    expect(invalidLines(SecretKind, aSecret({ stringData: { big: 'x'.repeat(1024 * 1024 + 1) } }))).toEqual([
      'data: Too long: may not be more than 1048576 bytes',
    ]);
  });

  it.each([
    ['kubernetes.io/tls', {}, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['kubernetes.io/tls', { 'tls.crt': 'c' }, ['data[tls.key]: Required value']],
    ['kubernetes.io/dockerconfigjson', {}, ['data[.dockerconfigjson]: Required value']],
    [
      'kubernetes.io/dockerconfigjson',
      { '.dockerconfigjson': '#' },
      [
        'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'#\' looking for beginning of value',
      ],
    ],
    [
      'kubernetes.io/dockercfg',
      { '.dockercfg': '[]' },
      [
        'data[.dockercfg]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
      ],
    ],
    ['kubernetes.io/basic-auth', {}, ['data[username]: Required value', 'data[password]: Required value']],
    ['kubernetes.io/ssh-auth', { 'ssh-privatekey': '' }, ['data[ssh-privatekey]: Required value']],
    [
      'kubernetes.io/service-account-token',
      {},
      ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ],
  ])('a %s Secret with %j is refused as kube refuses it', (type, stringData, lines) => {
    expect(invalidLines(SecretKind, aSecret({ type, stringData }))).toEqual(lines);
  });

  it.each([
    ['kubernetes.io/tls', { 'tls.crt': 'c', 'tls.key': 'k' }],
    ['kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"auths":{}}' }],
    ['kubernetes.io/basic-auth', { password: '' }],
    ['kubernetes.io/ssh-auth', { 'ssh-privatekey': 'key' }],
    ['bootstrap.kubernetes.io/token', {}],
    ['example.com/custom', {}],
  ])('a %s Secret with %j is accepted', (type, stringData) => {
    expect(decoded<Secret>(SecretKind, aSecret({ type, stringData })).type).toBe(type);
  });

  it('keeps its type, and once immutable its data and the mark itself', () => {
    const old = decoded<Secret>(SecretKind, aSecret({ immutable: true, stringData: { a: 'x' } }));
    const changed = decoded<Secret>(
      SecretKind,
      aSecret({ type: 'kubernetes.io/basic-auth', stringData: { a: 'y', username: 'u' } }),
    );
    expect(validateSecretUpdate(changed, old).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: 'b' } } };
    expect(validateSecretUpdate(relabelled, old)).toEqual([]);
  });
});

describe("Go's decoders as kube-apiserver meets them", () => {
  it.each([
    ['YQ==', undefined],
    ['YQ==\r\n', undefined],
    ['', undefined],
    ['abc', 0],
    ['hunter2!', 7],
    ['YQ=', 3],
    ['YQ==YQ==', 4],
    ['YQ==x', 4],
    ['Y===', 1],
  ])('base64 %j fails at %s', (text, offset) => {
    expect(goBase64ErrorOffset(text)).toBe(offset);
  });

  it.each([
    ['{"a":1}', undefined],
    ['null', undefined],
    ['', 'unexpected end of JSON input'],
    ['{"a":', 'unexpected end of JSON input'],
    ['"s"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['x', "invalid character 'x' looking for beginning of value"],
  ])('JSON %j into a map: %s', (text, error) => {
    expect(goJsonObjectError(text)).toBe(error);
  });
});
