import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import type { FieldCause } from './errors';
import { forbidden, invalidValue, requiredValue, tooLong } from './field-error';
import { readField } from './field-reader';
import { goBase64ErrorOffset } from './go-base64';
import { goJsonObjectError } from './go-json-error';
import type { KindInfo } from './kind-info';
import type { KubeObject } from './meta';
import { ObjectMeta } from './meta';
import { configMapKeyError } from './names';
import { UndecodableObjectError } from './undecodable-object-error';

/** kube's MaxSecretSize: the decoded values of a Secret's data may total 1 MiB. */
export const SECRET_MAX_BYTES = 1024 * 1024;

/** The Secret types kube-apiserver validates, and the keys each requires (pkg/apis/core/types.go). */
export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

/** The annotation a service-account-token Secret must carry: the ServiceAccount it is for. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** kube's placeholder for a secret value in an error: the value itself is never echoed. */
const REDACTED = '<secret contents redacted>';

const secretFields = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: emptyByDefault(ObjectMeta),
  immutable: z.boolean().optional(),
  /** Base64 values, as on the wire. */
  data: z.record(z.string(), z.string()).optional(),
  /** Write-only plain-text values, folded into `data` as the object is decoded. */
  stringData: z.record(z.string(), z.string()).optional(),
  type: z.string().default(SECRET_TYPES.opaque),
});

/**
 * v1 Secret. As kube's conversion does, `stringData` overwrites `data` key by key and is then
 * dropped: it is never stored nor returned. (The output keeps the key as undefined, which JSON
 * and the store's comparisons ignore, so the decoder does not count it as an unknown field.)
 * Values are kept in canonical base64. A `data` value that is not base64 is refused while decoding (400, as kube's JSON decoder does);
 * the rest is kube's ValidateSecret: keys as ConfigMap keys, 1 MiB of decoded data, and the keys
 * each type requires. Error messages never contain a value.
 */
export const Secret = secretFields
  .transform((secret) => {
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(secret.data ?? {})) {
      const offset = goBase64ErrorOffset(value);
      if (offset !== undefined)
        throw new UndecodableObjectError('Secret', 'v1', `illegal base64 data at input byte ${offset}`);
      // Canonical base64, as kube re-encodes the bytes it stored.
      data[key] = Buffer.from(value, 'base64').toString('base64');
    }
    for (const [key, value] of Object.entries(secret.stringData ?? {}))
      data[key] = Buffer.from(value, 'utf8').toString('base64');
    const hasData = secret.data !== undefined || secret.stringData !== undefined;
    return { ...secret, data: hasData ? data : undefined, stringData: undefined };
  })
  .superRefine((secret, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const data = secret.data ?? {};
    let total = 0;
    for (const [key, value] of Object.entries(data)) {
      const error = configMapKeyError(key);
      if (error) issue(['data', key], invalidValue(key, error));
      total += Buffer.from(value, 'base64').length;
    }
    if (total > SECRET_MAX_BYTES) issue(['data'], tooLong(SECRET_MAX_BYTES));
    for (const [path, message] of typeIssues(secret.type, data, secret.metadata.annotations ?? {}))
      issue(path, message);
  });
export type Secret = z.infer<typeof Secret>;

/** The problems kube finds with the keys a Secret's type requires. */
function typeIssues(
  type: string,
  data: Record<string, string>,
  annotations: Record<string, string>,
): [string[], string][] {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data, key);
  const required = (key: string): [string[], string] => [['data', key], requiredValue()];
  switch (type) {
    case SECRET_TYPES.serviceAccountToken:
      // The token controller fills in the token later; only the account's name is required.
      return annotations[SERVICE_ACCOUNT_NAME_ANNOTATION]
        ? []
        : [[['metadata', 'annotations', SERVICE_ACCOUNT_NAME_ANNOTATION], requiredValue()]];
    case SECRET_TYPES.dockercfg:
      return dockerConfigIssues(data, '.dockercfg');
    case SECRET_TYPES.dockerConfigJson:
      return dockerConfigIssues(data, '.dockerconfigjson');
    case SECRET_TYPES.basicAuth:
      // Either may be empty, but one of the two must be there.
      return has('username') || has('password') ? [] : [required('username'), required('password')];
    case SECRET_TYPES.sshAuth:
      return decodedLength(data['ssh-privatekey']) > 0 ? [] : [required('ssh-privatekey')];
    case SECRET_TYPES.tls:
      return [
        ...(has('tls.crt') ? [] : [required('tls.crt')]),
        ...(has('tls.key') ? [] : [required('tls.key')]),
      ];
    default:
      // Opaque, bootstrap tokens and custom types: kube-apiserver requires no keys.
      return [];
  }
}

function dockerConfigIssues(data: Record<string, string>, key: string): [string[], string][] {
  if (!Object.prototype.hasOwnProperty.call(data, key)) return [[['data', key], requiredValue()]];
  const error = goJsonObjectError(Buffer.from(data[key], 'base64').toString('utf8'));
  return error ? [[['data', key], invalidValue(REDACTED, error)]] : [];
}

function decodedLength(value: string | undefined): number {
  return value === undefined ? 0 : Buffer.from(value, 'base64').length;
}

/**
 * kube's ValidateSecretUpdate: the type never changes, and a Secret marked immutable keeps its
 * data and its mark.
 */
export function validateSecretUpdate(object: KubeObject, old: KubeObject): FieldCause[] {
  const next = object as Secret;
  const previous = old as Secret;
  const causes: FieldCause[] = [];
  if (next.type !== previous.type)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'type',
      message: invalidValue(next.type, 'field is immutable'),
    });
  if (previous.immutable === true) {
    const message = forbidden('field is immutable when `immutable` is set');
    if (next.immutable !== true) causes.push({ reason: 'FieldValueForbidden', field: 'immutable', message });
    if (!sameData(next.data, previous.data))
      causes.push({ reason: 'FieldValueForbidden', field: 'data', message });
  }
  return causes;
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((k) => left[k] === right[k]);
}

export const SecretKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: Secret,
  fieldSelectors: { type: readField('type') },
  validateUpdate: validateSecretUpdate,
};
