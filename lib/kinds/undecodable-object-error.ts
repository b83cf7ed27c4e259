/**
 * A body whose fields cannot even be decoded into the kind's types (a Secret's `data` value that
 * is not base64): kube-apiserver refuses it while decoding, before validation, with 400
 * BadRequest and `Secret in version "v1" cannot be handled as a Secret: <why>`. The message never
 * quotes the value, which may be secret.
 */
export class UndecodableObjectError extends Error {
  constructor(kind: string, version: string, detail: string) {
    super(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${detail}`);
    this.name = 'UndecodableObjectError';
  }
}
