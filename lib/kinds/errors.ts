import type { FieldCauseReason } from './field-error';
import type { KindInfo } from './kind-info';

export type { FieldCauseReason } from './field-error';

/** One field's problem, as a Kubernetes StatusCause: `message` is the body without the field. */
export interface FieldCause {
  reason: FieldCauseReason;
  message: string;
  field: string;
}

/**
 * An object that fails its kind's validation: the API answers 422 Invalid with these causes.
 *
 * The message is kube-apiserver's: `Deployment.apps "web" is invalid: spec.replicas: Invalid
 * value: -1: must be greater than or equal to 0`, with several causes as `[a, b]`.
 */
export class InvalidObjectError extends Error {
  readonly kind: string;
  readonly group: string;
  /** The object's name, for Status details. */
  readonly objectName: string;

  constructor(
    info: Pick<KindInfo, 'kind' | 'group'>,
    name: string,
    readonly causes: FieldCause[],
  ) {
    super(invalidMessage(info, name, causes));
    this.kind = info.kind;
    this.group = info.group;
    this.objectName = name;
  }
}

function invalidMessage(info: Pick<KindInfo, 'kind' | 'group'>, name: string, causes: FieldCause[]): string {
  const qualifiedKind = info.group ? `${info.kind}.${info.group}` : info.kind;
  const head = `${qualifiedKind} ${JSON.stringify(name)} is invalid`;
  // field.ErrorList.ToAggregate drops repeated messages.
  const messages = [...new Set(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)))];
  if (messages.length === 0) return head;
  return `${head}: ${messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`}`;
}

/**
 * Fields the kind does not know, refused under `fieldValidation=Strict` (kubectl's default): the
 * API answers 400 BadRequest with this message.
 */
export class StrictDecodingError extends Error {
  constructor(readonly unknownFields: string[]) {
    super(`strict decoding error: ${unknownFields.map(unknownFieldMessage).join(', ')}`);
    this.name = 'StrictDecodingError';
  }
}

/** Kubernetes' text for one unknown field, used for both warnings and strict errors. */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}
